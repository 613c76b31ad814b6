import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { AuthenticatedActor } from '../../infrastructure/http/request-context.js';

interface AccessClaims {
  sub: string;
  roles: string[];
  sid?: string;
}

/** Short-lived JWT access tokens (HS256), verified without a database round trip. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  sign(actor: AuthenticatedActor): string {
    const claims: AccessClaims = { sub: actor.id, roles: [...actor.roles], sid: actor.sessionId };
    return this.jwt.sign(claims, { expiresIn: this.ttlSeconds });
  }

  /** The actor the token names, or undefined for anything forged, expired or malformed. */
  verify(token: string): AuthenticatedActor | undefined {
    try {
      const claims = this.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return undefined;
      return { id: claims.sub, roles: claims.roles, sessionId: claims.sid };
    } catch {
      return undefined;
    }
  }
}
