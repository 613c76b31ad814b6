import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../errors/domain-error.js';
import type { AuthenticatedActor } from '../../infrastructure/http/request-context.js';
import { AccessTokenService } from './access-token.service.js';
import { hasPermission, type Permission } from './permissions.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_PERMISSIONS } from './require-permission.decorator.js';
import { TokenRevocations } from './token-revocations.js';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); declared
 * permissions are checked against the caller's roles. The actor lands in the request context.
 * A token whose session or user was revoked since it was issued counts as no token (TokenRevocations).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const verified = token ? this.tokens.verify(token) : undefined;
    if (!verified) return this.decide(context, req, undefined);
    // Warm: answered from memory, synchronously; cold: one read of the user's revocation state.
    const revoked = this.revocations.isRevoked(verified);
    if (typeof revoked === 'boolean') return this.decide(context, req, revoked ? undefined : verified);
    return revoked.then((isRevoked) => this.decide(context, req, isRevoked ? undefined : verified));
  }

  private decide(context: ExecutionContext, req: FastifyRequest, actor: AuthenticatedActor | undefined): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) ?? false;
    const header = req.headers.authorization;
    if (actor) req.context.actor = actor;
    if (isPublic) return true;
    if (!actor) throw unauthorized(header ? 'The access token is invalid or expired' : 'Authentication required');

    const required = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [];
    if (!required.every((permission) => hasPermission(actor.roles, permission))) throw forbidden();
    return true;
  }
}
