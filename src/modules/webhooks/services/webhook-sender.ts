import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { isPrivateAddress, literalAddress } from './url-guard.js';

export interface SendResult {
  /** A 2xx answer within the timeout. */
  ok: boolean;
  statusCode: number | null;
  /** Why there is no usable answer: timeout, connection refused, blocked address… */
  error: string | null;
}

/**
 * Resolves like the default lookup, then refuses private addresses. Used for the connection itself,
 * so a name that resolved to a public address when the endpoint was saved and to a private one now
 * (DNS rebinding) is refused at send time, at no extra cost.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (error, address, family) => {
    if (error) return callback(error, address as string, family);
    const addresses: LookupAddress[] = Array.isArray(address) ? address : [{ address, family: family ?? 4 }];
    const blocked = addresses.find((candidate) => isPrivateAddress(candidate.address));
    if (blocked) {
      const refused = Object.assign(new Error(`refused private address ${blocked.address}`), { code: 'EPRIVATE' });
      return callback(refused, address as string, family);
    }
    callback(null, address as string, family);
  });
};

/**
 * POSTs one webhook: no redirects followed (a 3xx is a failure), the whole exchange bounded by
 * WEBHOOK_TIMEOUT_MS (10 s), the answer's body discarded, keep-alive connections reused.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const options = { keepAlive: true, maxSockets: config.webhooks.concurrency };
    this.httpAgent = new http.Agent(options);
    this.httpsAgent = new https.Agent(options);
  }

  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const { allowPrivate, timeoutMs } = this.config.webhooks;
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve({ ok: false, statusCode: null, error: 'invalid url' });
    }
    const literal = literalAddress(target);
    if (!allowPrivate && literal !== undefined && isPrivateAddress(literal)) {
      return Promise.resolve({ ok: false, statusCode: null, error: `refused private address ${literal}` });
    }
    const secure = target.protocol === 'https:';
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const request = (secure ? https : http).request(
        target,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          lookup: allowPrivate ? undefined : publicOnlyLookup,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const statusCode = response.statusCode ?? 0;
          response.on('end', () => finish({ ok: statusCode >= 200 && statusCode < 300, statusCode, error: null }));
          response.on('error', (error) => finish({ ok: false, statusCode, error: error.message }));
          response.resume();
        },
      );
      const timer = setTimeout(() => {
        finish({ ok: false, statusCode: null, error: `no answer within ${timeoutMs} ms` });
        request.destroy();
      }, timeoutMs);
      request.on('error', (error) => finish({ ok: false, statusCode: null, error: error.message.slice(0, 255) }));
      request.end(body);
    });
  }

  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
