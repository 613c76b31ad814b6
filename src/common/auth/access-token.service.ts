import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { AuthenticatedActor } from '../../infrastructure/http/request-context.js';

interface AccessClaims {
  sub: string;
  roles: string[];
  sid?: string;
  /** Issue time in ms (JWT's `iat` has whole seconds: too coarse to order against a revocation). */
  iatMs?: number;
  iat?: number;
  exp?: number;
}

/** Verified tokens remembered (a client sends the same token for its whole lifetime). */
const VERIFIED_CACHE_SIZE = 10_000;

/** Short-lived JWT access tokens (HS256), verified without a database round trip. */
@Injectable()
export class AccessTokenService {
  /**
   * token → what it verified to, until its `exp`. Only tokens whose signature checked out get in, the
   * key is the whole token (signature included), and expiry is checked on every hit, so a hit answers
   * exactly what verifying again would; it skips the HMAC and the JSON parsing. Bounded: when full, the
   * oldest entry goes.
   */
  private readonly verified = new Map<string, { actor: AuthenticatedActor; expiresAtMs: number }>();

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  sign(actor: AuthenticatedActor): string {
    const claims: AccessClaims = { sub: actor.id, roles: [...actor.roles], sid: actor.sessionId, iatMs: Date.now() };
    return this.jwt.sign(claims, { expiresIn: this.ttlSeconds });
  }

  /** The actor the token names, or undefined for anything forged, expired or malformed. */
  verify(token: string): AuthenticatedActor | undefined {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return known.actor;
      this.verified.delete(token);
      return undefined;
    }
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return undefined;
    }
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return undefined;
    const issuedAtMs =
      typeof claims.iatMs === 'number' ? claims.iatMs : typeof claims.iat === 'number' ? claims.iat * 1000 : undefined;
    const actor: AuthenticatedActor = { id: claims.sub, roles: claims.roles, sessionId: claims.sid, issuedAtMs };
    // Only tokens that expire are remembered (ours always do), and never past their expiry.
    if (typeof claims.exp === 'number') {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { actor, expiresAtMs: claims.exp * 1000 });
    }
    return actor;
  }
}
