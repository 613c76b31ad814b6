import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

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
  /** Joins every transaction this request runs (TransactionService): the idempotency key's commit fence. */
  transactionHook?: TransactionHook;
}

/** Work that must commit with (or not at all without) the request's business transaction. */
export interface TransactionHook {
  /** Inside the transaction, after the work, before COMMIT; throwing rolls the transaction back. */
  beforeCommit(manager: EntityManager): Promise<void>;
  /** After COMMIT succeeded. */
  afterCommit(): void;
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
