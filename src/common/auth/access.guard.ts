import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../errors/domain-error.js';
import { AccessTokenService } from './access-token.service.js';
import { hasPermission, type Permission } from './permissions.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_PERMISSIONS } from './require-permission.decorator.js';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); declared
 * permissions are checked against the caller's roles. The actor lands in the request context.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) ?? false;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const actor = token ? this.tokens.verify(token) : undefined;
    if (actor) req.context.actor = actor;
    if (isPublic) return true;
    if (!actor) throw unauthorized(header ? 'The access token is invalid or expired' : 'Authentication required');

    const required = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [];
    if (!required.every((permission) => hasPermission(actor.roles, permission))) throw forbidden();
    return true;
  }
}
