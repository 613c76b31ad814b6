import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}

/** How the receiver answers its n-th request (0-based): a status code, or never ('hang'). */
export type Responder = (index: number, received: ReceivedWebhook) => number | 'hang';

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Most requests this receiver held open at once (unanswered and not yet abandoned by the sender). */
  maxOpen: () => number;
  /** Resolves once `predicate(received)` holds; rejects after `timeoutMs`. */
  waitFor: (predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 (random port) recording every POST it gets. */
export async function startReceiver(respond: Responder = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let open = 0;
  let maxOpen = 0;
  const server: Server = createServer((req, res) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => open--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry: ReceivedWebhook = { headers: req.headers, raw, body: JSON.parse(raw) };
      const index = received.push(entry) - 1;
      const answer = respond(index, entry);
      if (answer === 'hang') return;
      res.statusCode = answer;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    maxOpen: () => maxOpen,
    waitFor: async (predicate, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline)
          throw new Error(`receiver: condition not met in ${timeoutMs} ms (${received.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
