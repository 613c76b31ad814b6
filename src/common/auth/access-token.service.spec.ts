import { describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '../../config/app-config.js';
import { AccessTokenService } from './access-token.service.js';

const SECRET = 'unit-secret-0123456789abcdef0123456789abcdef';
const config = loadConfig({ JWT_SECRET: SECRET, ACCESS_TOKEN_TTL_SECONDS: '60' });
const service = new AccessTokenService(new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256' } }), config);

describe(AccessTokenService.name, () => {
  it('round-trips id, roles and session id, with the issue time in ms (ordered against revocations)', () => {
    const before = Date.now();
    const token = service.sign({ id: 'u1', roles: ['staff', 'customer'], sessionId: 's1' });
    const after = Date.now();
    const actor = service.verify(token);
    expect(actor).toEqual({ id: 'u1', roles: ['staff', 'customer'], sessionId: 's1', issuedAtMs: expect.any(Number) });
    expect(actor!.issuedAtMs).toBeGreaterThanOrEqual(before);
    expect(actor!.issuedAtMs).toBeLessThanOrEqual(after);
    expect(service.ttlSeconds).toBe(60);
  });

  it('expires after the configured lifetime', () => {
    const token = service.sign({ id: 'u1', roles: [] });
    const { iat, exp } = new JwtService({}).decode(token) as { iat: number; exp: number };
    expect(exp - iat).toBe(60);
  });

  it('rejects tokens signed with another secret, expired, tampered, alg none or malformed', () => {
    const other = new JwtService({ secret: 'x'.repeat(40) }).sign({ sub: 'u1', roles: ['admin'] });
    const expired = new JwtService({ secret: SECRET }).sign({ sub: 'u1', roles: [], exp: 1 });
    const valid = service.sign({ id: 'u1', roles: ['customer'] });
    const [header, , signature] = valid.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: 'u1', roles: ['admin'] })).toString('base64url')}.${signature}`;
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"u1","roles":["admin"]}').toString('base64url')}.`;
    const noRoles = new JwtService({ secret: SECRET }).sign({ sub: 'u1' });
    for (const token of [other, expired, tampered, none, noRoles, 'garbage', '']) {
      expect(service.verify(token)).toBeUndefined();
    }
  });

  it('answers a repeated token from memory exactly as verifying again would, until it expires', () => {
    const token = service.sign({ id: 'u2', roles: ['customer'] });
    const first = service.verify(token);
    expect(service.verify(token)).toEqual(first);
    const [header, payload, signature] = token.split('.');
    // Same payload, another signature: not the remembered token, so it is verified (and fails).
    const forged = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(service.verify(`${header}.${payload}.${forged}`)).toBeUndefined();
    const now = Date.now();
    const realNow = Date.now;
    try {
      Date.now = () => now + 61_000;
      expect(service.verify(token)).toBeUndefined();
    } finally {
      Date.now = realNow;
    }
  });
});
