import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../config/app-config.js';
import { urlRefusal } from './url-policy.js';
import { WebhookSender } from './webhook-sender.js';

describe(WebhookSender.name, () => {
  let server: Server;
  let port: number;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      req.resume();
      if (req.url === '/hang') return;
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/ok' }).end();
        return;
      }
      res.writeHead(req.url === '/fail' ? 500 : 204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sender = (env: Record<string, string>) => new WebhookSender(loadConfig(env));

  it('a 2xx is delivered; a 500 is not; a redirect is not followed', async () => {
    const s = sender({});
    expect(await s.send(`http://127.0.0.1:${port}/ok`, {}, '{}')).toEqual({ ok: true, statusCode: 204, error: null });
    expect(await s.send(`http://127.0.0.1:${port}/fail`, {}, '{}')).toMatchObject({ ok: false, statusCode: 500 });
    paths.length = 0;
    expect(await s.send(`http://127.0.0.1:${port}/redirect`, {}, '{}')).toMatchObject({ ok: false, statusCode: 302 });
    expect(paths).toEqual(['/redirect']);
    s.onApplicationShutdown();
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const s = sender({ WEBHOOK_TIMEOUT_MS: '200' });
    const result = await s.send(`http://127.0.0.1:${port}/hang`, {}, '{}');
    expect(result).toMatchObject({ ok: false, statusCode: null, error: expect.stringContaining('no answer') });
    s.onApplicationShutdown();
  });

  it('with WEBHOOK_ALLOW_PRIVATE=false refuses private addresses at send time, literal or resolved', async () => {
    const s = sender({ WEBHOOK_ALLOW_PRIVATE: 'false' });
    paths.length = 0;
    const literal = await s.send(`http://127.0.0.1:${port}/ok`, {}, '{}');
    const resolved = await s.send(`http://localhost:${port}/ok`, {}, '{}');
    expect(literal).toMatchObject({ ok: false, error: expect.stringContaining('private address') });
    expect(resolved).toMatchObject({ ok: false, error: expect.stringContaining('private address') });
    expect(paths).toEqual([]);
    s.onApplicationShutdown();
  });
});

describe('urlRefusal', () => {
  it('allows only http and https, and private hosts only when allowed', async () => {
    expect(await urlRefusal('ftp://example.com/x', true)).toMatch(/http/);
    expect(await urlRefusal('http://user:pw@example.com/x', true)).toMatch(/credentials/);
    expect(await urlRefusal('http://127.0.0.1/x', true)).toBeUndefined();
    for (const url of ['http://127.0.0.1/x', 'http://10.0.0.1/x', 'http://[::1]/x', 'http://169.254.169.254/latest']) {
      expect(await urlRefusal(url, false)).toMatch(/private/);
    }
    expect(await urlRefusal('http://localhost:8080/x', false)).toMatch(/private/);
    expect(await urlRefusal('http://93.184.216.34/x', false)).toBeUndefined();
  });
});
