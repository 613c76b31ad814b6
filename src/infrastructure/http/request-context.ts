import { AsyncLocalStorage } from 'node:async_hooks';

export interface AuthenticatedActor {
  readonly id: string;
  readonly roles: readonly string[];
  /** The refresh-token family (session) the access token was issued for. */
  readonly sessionId?: string;
  /** When the access token was issued (epoch ms): tokens older than a revocation are refused. */
  readonly issuedAtMs?: number;
}

/** What is known about the request being served; jobs run with no context (actor "system"). */
export interface RequestContext {
  readonly requestId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  actor?: AuthenticatedActor;
  /** SQL statements issued while serving this request (tests pin hot-path query counts with it). */
  queryCount: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
};
