import { pino, type Logger as Pino } from 'pino';

/** One access-log line: fixed, non-secret fields only. */
export interface AccessLogEntry {
  readonly reqId: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly ms: number;
  readonly userId?: string;
}

const INFO = 30;

/**
 * The access log: one line per request, written to the root logger's destination at level info, byte
 * for byte what `root.child({}, { redact: [] }).info(entry, 'request')` writes (same level field, time
 * function, base fields, key order; an undefined userId is left out) — pinned by access-log.spec.ts.
 * Formatted here because the line's shape is fixed: pino's generic serialisation (walking the object,
 * a stringifier per value, redaction set-up per child) was the largest part of the line's cost, which
 * every request pays (bench/README.md). The root's level is read on every call, so `LOG_LEVEL=warn`
 * (or changing the level at run time) silences it as before.
 */
export function createAccessLog(root: Pino): (entry: AccessLogEntry) => void {
  const { lsCacheSym, timeSym, chindingsSym, streamSym } = pino.symbols;
  const logger = root as unknown as Record<symbol, unknown>;
  const levelField = (logger[lsCacheSym] as Record<number, string>)[INFO];
  const time = logger[timeSym] as () => string;
  const bindings = logger[chindingsSym] as string;
  const stream = logger[streamSym] as { write(line: string): unknown };
  const str = JSON.stringify;
  return (entry) => {
    if (root.levelVal > INFO) return;
    const user = entry.userId === undefined ? '' : `,"userId":${str(entry.userId)}`;
    stream.write(
      `${levelField}${time()}${bindings},"reqId":${str(entry.reqId)},"method":${str(entry.method)},"route":${str(entry.route)},"status":${entry.status},"ms":${entry.ms}${user},"msg":"request"}\n`,
    );
  };
}
