import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { RoutePolicy } from '../../infrastructure/http/route-hooks.js';
import type { ControllerRoute } from '../../infrastructure/http/route-table.js';
import type { AuthenticatedActor } from '../../infrastructure/http/request-context.js';
import { forbidden, unauthorized } from '../errors/domain-error.js';
import { AccessTokenService } from './access-token.service.js';
import { hasPermission } from './permissions.js';
import { declaredPolicy } from './route-policy.js';
import { TokenRevocations } from './token-revocations.js';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/**
 * Authentication and permissions, per route: every route needs a valid bearer token unless marked
 * @Public(); declared permissions are checked against the caller's roles. On a public route a valid
 * token still names the actor. The actor lands in the request context. The route's policy is read
 * from its decorators once, at start-up (see applyRoutePolicies).
 */
@Injectable()
export class AccessPolicy implements RoutePolicy {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  hooksFor(route: ControllerRoute): onRequestHookHandler {
    // A route that declares nothing is authenticated (safe default; the permission matrix refuses it anyway).
    const policy = declaredPolicy(this.reflector, [route.handler, route.controller]) ?? {
      kind: 'authenticated',
      permissions: [],
    };
    const withActor = (req: FastifyRequest, then: (actor?: AuthenticatedActor) => void, fail: (e: Error) => void) =>
      this.withLiveActor(req, then, fail);
    if (policy.kind === 'public') {
      return function optionalBearer(req, _reply, done) {
        // Most public reads carry no token: nothing to verify, no callbacks to build.
        if (req.headers.authorization === undefined) return done();
        withActor(
          req,
          (actor) => {
            if (actor) req.context.actor = actor;
            done();
          },
          done,
        );
      };
    }
    const { permissions } = policy;
    return function requireBearer(req, _reply, done) {
      withActor(req, (actor) => decide(req, actor, done), done);
    };

    function decide(req: FastifyRequest, actor: AuthenticatedActor | undefined, done: (error?: Error) => void) {
      if (!actor) {
        done(
          unauthorized(
            req.headers.authorization ? 'The access token is invalid or expired' : 'Authentication required',
          ),
        );
        return;
      }
      req.context.actor = actor;
      done(permissions.every((permission) => hasPermission(actor.roles, permission)) ? undefined : forbidden());
    }
  }

  /**
   * The verified actor unless its token was revoked since it was issued (TokenRevocations: answered from
   * memory, synchronously, while its state is fresh); a revoked token counts as no token.
   */
  private withLiveActor(
    req: FastifyRequest,
    then: (actor?: AuthenticatedActor) => void,
    fail: (error: Error) => void,
  ): void {
    const verified = this.actorOf(req);
    if (!verified) return then(undefined);
    const revoked = this.revocations.isRevoked(verified);
    if (typeof revoked === 'boolean') return then(revoked ? undefined : verified);
    revoked.then((isRevoked) => then(isRevoked ? undefined : verified), fail);
  }

  private actorOf(req: FastifyRequest): AuthenticatedActor | undefined {
    const header = req.headers.authorization;
    if (typeof header !== 'string') return undefined;
    const token = BEARER.exec(header)?.[1];
    return token ? this.tokens.verify(token) : undefined;
  }
}
