import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ReadReplicas } from '../database/read-replicas.service.js';
import { AppCacheService } from './app-cache.service.js';

export interface CachedGetOptions {
  /**
   * The entry's key, built by the module's cache-keys file from what the answer depends on
   * (query, and the caller where the answer differs per caller).
   */
  key: (req: FastifyRequest) => string;
  /** Tags the entry is filed under: the module's writers drop them with `invalidateTags` after commit. */
  tags: (req: FastifyRequest) => readonly string[];
  ttlMs?: number;
  /**
   * The handler may read a replica (ReadReplicas.read): `ttlMs` is then capped at the replica lag allowed
   * (ReadReplicas.cacheTtl), so a stale answer loaded just after its writer's invalidation does not outlive it.
   */
  readsReplica?: boolean;
}

const CACHED_GET = Symbol('cachedGet');

/**
 * Caches a GET handler's answer through AppCacheService: concurrent misses share one load, a slow or
 * down Redis is a miss, entries are dropped by tag. (Not @nestjs/cache-manager's CacheInterceptor:
 * it keys by URL only, so it cannot give per-caller keys or tags.)
 */
export const CachedGet = (options: CachedGetOptions) =>
  applyDecorators(SetMetadata(CACHED_GET, options), UseInterceptors(CachedGetInterceptor));

@Injectable()
export class CachedGetInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: AppCacheService,
    private readonly replicas: ReadReplicas,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<CachedGetOptions | undefined>(CACHED_GET, context.getHandler());
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!options || req.method !== 'GET') return next.handle();
    const load = () => lastValueFrom(next.handle(), { defaultValue: undefined });
    const ttlMs =
      options.readsReplica && options.ttlMs !== undefined ? this.replicas.cacheTtl(options.ttlMs) : options.ttlMs;
    return from(this.cache.getOrLoad(options.key(req), load, { ttlMs, tags: options.tags(req) }));
  }
}
