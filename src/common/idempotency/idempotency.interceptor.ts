import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { requestContext } from '../../infrastructure/http/request-context.js';
import { badRequest } from '../errors/domain-error.js';
import { toProblem } from '../errors/problem.js';
import { IdempotencyService, requestHash } from './idempotency.service.js';

const HEADER = 'idempotency-key';

/**
 * Honours `Idempotency-Key` on a POST: the first request runs and its answer (2xx or 4xx) is stored;
 * a retry with the same key and body gets that answer again without running; the same key with a
 * different body is 422; a retry while the first still runs is 409. A 5xx before anything committed is
 * not stored (the retry runs afresh). The key is marked used in the business transaction's own commit
 * (IdempotencyService.fence), so a failure to store the answer can never lead to a second run.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const key = req.headers[HEADER];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
      ]);
    }
    const reply = http.getResponse<FastifyReply>();
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    return from(this.run(req, reply, key, successStatus, next));
  }

  private async run(
    req: FastifyRequest,
    reply: FastifyReply,
    key: string,
    successStatus: number,
    next: CallHandler,
  ): Promise<unknown> {
    const context = requestContext.current();
    const scope = context?.actor?.id ?? 'anonymous';
    // The concrete path (ids included) and query: the same key sent for another resource is another request (422).
    const hash = requestHash(req.method, req.url, req.body);
    const claim = await this.idempotency.claim(scope, key, hash);
    if (claim.kind === 'replay') {
      void reply.header('idempotent-replayed', 'true');
      if (claim.status >= 400) {
        void reply.status(claim.status).type('application/problem+json');
      } else {
        void reply.status(claim.status);
      }
      return claim.body;
    }
    const fence = this.idempotency.fence(scope, key, claim.claimId);
    if (context) context.transactionHook = fence;
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      const { problem } = toProblem(error);
      if (problem.status >= 500 && !fence.committed) {
        // Nothing committed: a retry may run afresh. If even the release fails, the lease expires.
        await this.idempotency.release(scope, key, claim.claimId).catch(() => undefined);
      } else {
        // A 4xx, or a 5xx after the change committed: that answer is what a retry gets (never a second run).
        await this.store(scope, key, claim.claimId, problem.status, problem);
      }
      throw error;
    }
    await this.store(scope, key, claim.claimId, successStatus, body);
    return body;
  }

  /**
   * Stores the answer before it is sent (so an immediate retry finds it); when that fails (pool timeout,
   * connection lost) it keeps trying in the background for a while instead of failing a request whose
   * change already committed. Meanwhile a retry gets 409 (the key is `committed`), never a second run.
   */
  private async store(scope: string, key: string, claimId: string, status: number, body: unknown): Promise<void> {
    try {
      await this.idempotency.complete(scope, key, claimId, status, body);
    } catch {
      this.storeLater(scope, key, claimId, status, body, 0);
    }
  }

  private storeLater(scope: string, key: string, claimId: string, status: number, body: unknown, attempt: number) {
    if (attempt >= STORE_RETRY_DELAYS_MS.length) return; // a committed key then answers 409 until it expires
    const retry = () =>
      this.idempotency
        .complete(scope, key, claimId, status, body)
        .catch(() => this.storeLater(scope, key, claimId, status, body, attempt + 1));
    setTimeout(retry, STORE_RETRY_DELAYS_MS[attempt]).unref();
  }
}

/** Backoff of the background retries that store an answer (about a minute in all). */
const STORE_RETRY_DELAYS_MS = [100, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000];

/** Marks a POST that creates or moves money or stock as honouring Idempotency-Key. */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retry-safe key (1–255 chars), scoped to the caller and kept 24 h',
    }),
  );
