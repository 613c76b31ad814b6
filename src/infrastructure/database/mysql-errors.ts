/** Classifies driver errors so callers can decide: retry, conflict, or dependency down. */
interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  driverError?: DriverError;
}

function driverErrorOf(error: unknown): DriverError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as DriverError;
  return e.driverError ?? e;
}

export const ER_DUP_ENTRY = 1062;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;
const ER_CON_COUNT_ERROR = 1040;
/** SIGNAL from a trigger, e.g. the append-only guards on audit_events / audit_chain. */
const ER_SIGNAL_EXCEPTION = 1644;

const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'POOL_CLOSED',
  'ERR_POOL_ACQUIRE_TIMEOUT',
]);

export function isDuplicateKey(error: unknown): boolean {
  return driverErrorOf(error)?.errno === ER_DUP_ENTRY;
}

export function isDeadlock(error: unknown): boolean {
  const errno = driverErrorOf(error)?.errno;
  return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT;
}

export function isConnectionFailure(error: unknown): boolean {
  const e = driverErrorOf(error);
  if (!e) return false;
  if (e.errno === ER_CON_COUNT_ERROR) return true;
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  return /Queue limit reached|Pool is closed|Connection is not established|connection is in closed state/i.test(
    e.message ?? '',
  );
}

/** A trigger refused the statement (SQLSTATE 45000): e.g. an UPDATE/DELETE on the append-only audit tables. */
export function isRefusedByTrigger(error: unknown): boolean {
  return driverErrorOf(error)?.errno === ER_SIGNAL_EXCEPTION;
}
