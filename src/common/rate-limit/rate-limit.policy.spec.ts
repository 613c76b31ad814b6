import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import type { RequestContext } from '../../infrastructure/http/request-context.js';
import { globalKeys } from './rate-limit.policy.js';

describe(globalKeys.name, () => {
  let app: FastifyInstance;
  // One connection for every request (keep-alive, one socket): what the key is remembered for.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let port: number;

  beforeAll(async () => {
    const keyOf = globalKeys();
    app = Fastify({ trustProxy: true });
    app.decorateRequest('context', undefined as unknown as RequestContext);
    app.addHook('onRequest', (req, _reply, done) => {
      const actor = req.headers['x-actor'];
      req.context = { requestId: req.id, ip: req.ip, userAgent: null, queryCount: 0 };
      if (typeof actor === 'string') req.context.actor = { id: actor, roles: [] };
      done();
    });
    app.get('/', (req) => ({ key: keyOf(req), connection: req.socket.remotePort }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await app.close();
  });

  const get = (headers: Record<string, string> = {}) =>
    new Promise<{ key: string; connection: number }>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/', agent, headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(body) as { key: string; connection: number }));
      })
        .on('error', reject)
        .end();
    });

  it('keys an anonymous request by its address, and follows X-Forwarded-For on one connection (TRUST_PROXY)', async () => {
    const answers = [
      await get(),
      await get(),
      await get({ 'x-forwarded-for': '203.0.113.7' }),
      await get({ 'x-forwarded-for': '203.0.113.7' }),
      await get({ 'x-forwarded-for': '::ffff:198.51.100.2' }),
      await get({ 'x-forwarded-for': '2001:db8:1:2::1' }),
      await get({ 'x-forwarded-for': '2001:db8:1:2:ffff::9' }),
      await get(),
    ];
    expect(new Set(answers.map((answer) => answer.connection)).size).toBe(1);
    expect(answers.map((answer) => answer.key)).toEqual([
      'global:ip:127.0.0.1',
      'global:ip:127.0.0.1',
      'global:ip:203.0.113.7',
      'global:ip:203.0.113.7',
      'global:ip:198.51.100.2',
      'global:ip:2001:db8:1:2::/64',
      'global:ip:2001:db8:1:2::/64',
      'global:ip:127.0.0.1',
    ]);
  });

  it('keys an authenticated request by its user, whatever its connection remembers', async () => {
    await get();
    expect((await get({ 'x-actor': 'u-1' })).key).toBe('global:user:u-1');
    expect((await get({ 'x-actor': 'u-2', 'x-forwarded-for': '203.0.113.7' })).key).toBe('global:user:u-2');
    expect((await get()).key).toBe('global:ip:127.0.0.1');
  });
});
