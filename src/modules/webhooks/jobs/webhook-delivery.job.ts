import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OnDomainEvent } from '../../../common/events/domain-events.js';
import { newId } from '../../../common/ids.js';
import { JobScheduler } from '../../../common/jobs/job-scheduler.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { webhookAttempts } from '../../../infrastructure/metrics/metrics.js';
import { type AuditedChange, AuditFeed } from '../../audit/index.js';
import { type ClaimedDelivery, WebhookRepository } from '../repositories/webhook.repository.js';
import { DeliveryWakeup } from '../services/delivery-wakeup.js';
import { OutboxRelay } from '../services/outbox-relay.service.js';
import { SecretBox } from '../services/secret-box.js';
import { signatureHeader } from '../services/signature.js';
import { type SendResult, WebhookSender } from '../services/webhook-sender.js';

/** Events turned into deliveries per fan-out transaction (WebhookRepository.fanOut). */
const FANOUT_BATCH = 500;

/** Sealed audit events read per relay transaction (OutboxRelay). */
const RELAY_BATCH = 500;

/** A claim outlives the longest send by this much, so a live claimant always records before it lapses. */
const LEASE_MARGIN_MS = 60_000;

/** What an attempt's result means for the delivery: delivered, retry at a time, or failed for good. */
export function nextStep(
  result: SendResult,
  attemptsBefore: number,
  scheduleMs: readonly number[],
  now: number,
): { status: 'pending' | 'delivered' | 'failed'; nextAttemptAt: Date | null } {
  if (result.ok) return { status: 'delivered', nextAttemptAt: null };
  const attempts = attemptsBefore + 1;
  if (attempts > scheduleMs.length) return { status: 'failed', nextAttemptAt: null };
  return { status: 'pending', nextAttemptAt: new Date(now + scheduleMs[attempts - 1]) };
}

/**
 * Sends due deliveries, off the request path, on every instance with jobs enabled. Beside the send
 * pump it relays newly sealed audit events into the outbox (OutboxRelay: on every poll, and soon after
 * this instance commits an audited change, which it seals first so it need not wait for the seal
 * job); the pump fans the outbox's new events out into deliveries (WebhookRepository.fanOut). Rows are claimed
 * in batches (SKIP LOCKED + lease: see WebhookRepository.claimDue), at most WEBHOOK_CONCURRENCY sends
 * in flight per instance (half of them at most for one endpoint), so a slow or dead receiver
 * costs a bounded number of sockets, never a request's time or a pooled connection (none is held
 * during a send), and does not hold up the other endpoints' deliveries.
 */
@Injectable()
export class WebhookDeliveryJob implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryJob.name);
  private readonly box: SecretBox;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightByEndpoint = new Map<string, number>();
  /**
   * Send slots one endpoint may hold (half): a receiver that hangs ties up at most that many for the
   * timeout, and the other endpoints' deliveries keep flowing through the rest.
   */
  private readonly perEndpoint: number;
  private pumping = false;
  private again = false;
  /** This instance committed an audited change since its last seal: seal, then relay. */
  private sealDue = false;
  /** A relay pass is due (a poll, a local change, a full batch, or the last one found the cursor taken). */
  private relayDue = true;
  /** The relay loop, while it runs (startRelay). */
  private relaying: Promise<void> | undefined;
  /** The last claim filled every free slot: more may be due as soon as one frees. */
  private backlog = false;
  private stopping = false;
  /** Successful sends waiting to be recorded together (see recordDelivered). */
  private delivered: { id: string; token: string; statusCode: number; done: (error?: Error) => void }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly relay: OutboxRelay,
    private readonly feed: AuditFeed,
    private readonly sender: WebhookSender,
    private readonly wakeup: DeliveryWakeup,
    private readonly jobs: JobScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.webhooks.secretKey);
    this.perEndpoint = Math.max(1, Math.ceil(config.webhooks.concurrency / 2));
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    this.wakeup.onWake(() => void this.tick());
    this.jobs.every('webhook-deliveries', this.config.webhooks.pollIntervalMs, () => {
      this.relayDue = true;
      return this.tick();
    });
  }

  /**
   * After an audited change committed on this instance (every AuditedChange is published once its
   * transaction commits): wake the job in a few ms, without SQL, to seal and relay it. A failed
   * attempt is never relayed, so it wakes nothing; other domain events have no outcome.
   */
  @OnDomainEvent('**')
  committed(event: AuditedChange): void {
    if (!this.config.jobs.enabled || event.outcome !== 'success') return;
    this.sealDue = true;
    this.relayDue = true;
    this.wakeup.soon();
  }

  /** Before the pool closes: stop claiming, let the sends in flight finish and record (≤ the timeout). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    while (this.pumping || this.inFlight.size > 0 || this.relaying) {
      await Promise.allSettled([...this.inFlight, this.relaying]);
      if (this.pumping) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  onApplicationShutdown(): void {
    this.stopping = true;
  }

  /**
   * Starts the relay of newly sealed audit events into the outbox (when due, beside this pump), fans
   * new outbox events out into deliveries, then fills the free send slots with due deliveries,
   * claiming again while claims come back full.
   */
  async tick(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        if (this.sealDue || this.relayDue) this.startRelay();
        while (!this.stopping && (await this.repository.fanOut(FANOUT_BATCH, new Date())) === FANOUT_BATCH);
        while (!this.stopping) {
          const free = this.config.webhooks.concurrency - this.inFlight.size;
          if (free <= 0) break;
          const now = new Date();
          const lease = new Date(now.getTime() + this.config.webhooks.timeoutMs + LEASE_MARGIN_MS);
          const token = newId();
          const claimed = await this.repository.claimDue(free, now, lease, token, this.saturatedEndpoints());
          const released: string[] = [];
          for (const delivery of claimed) {
            if ((this.inFlightByEndpoint.get(delivery.endpointId) ?? 0) >= this.perEndpoint) released.push(delivery.id);
            else this.track(delivery, this.attempt(delivery, token));
          }
          // Rows of an endpoint that filled up within this batch: back to due, claimable by anyone.
          if (released.length > 0) await this.repository.releaseClaims(released, token, now);
          this.backlog = claimed.length === free;
          if (!this.backlog) break;
        }
      } while (this.again && !this.stopping);
    } catch (error) {
      this.logger.warn(`webhook dispatch failed: ${(error as Error).message}`);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Seals (when a local change asks for it) and relays until the cursor has caught up, beside the send
   * pump rather than in it, so a backlog's first deliveries go out while the rest is being relayed;
   * every batch relayed wakes the pump to fan it out. When another instance holds the cursor, that
   * instance relays what is sealed; this one looks again shortly, since that relay may have read
   * before this instance's seal.
   */
  private startRelay(): void {
    if (this.relaying || this.stopping) return;
    this.relaying = this.relayAll().finally(() => {
      this.relaying = undefined;
      if (this.relayDue && !this.stopping) this.wakeup.soon();
    });
  }

  private async relayAll(): Promise<void> {
    try {
      while (!this.stopping && (this.sealDue || this.relayDue)) {
        if (this.sealDue) {
          this.sealDue = false;
          await this.feed.sealNow();
        }
        this.relayDue = false;
        const read = await this.relay.relay(RELAY_BATCH);
        if (read === null) {
          this.relayDue = true;
          return;
        }
        if (read > 0) void this.tick();
        if (read === RELAY_BATCH) this.relayDue = true;
      }
    } catch (error) {
      this.logger.warn(`webhook relay failed: ${(error as Error).message}`);
    }
  }

  private track(delivery: ClaimedDelivery, send: Promise<void>): void {
    const endpoint = delivery.endpointId;
    this.inFlight.add(send);
    this.inFlightByEndpoint.set(endpoint, (this.inFlightByEndpoint.get(endpoint) ?? 0) + 1);
    void send.finally(() => {
      this.inFlight.delete(send);
      const left = (this.inFlightByEndpoint.get(endpoint) ?? 1) - 1;
      if (left > 0) this.inFlightByEndpoint.set(endpoint, left);
      else this.inFlightByEndpoint.delete(endpoint);
      // A few ms of delay: sends finishing together free their slots for one claim, not one claim each.
      if ((this.backlog || left === this.perEndpoint - 1) && !this.stopping) this.wakeup.soon(5);
    });
  }

  /** Endpoints already using their share of the send slots: not claimed for until one of theirs ends. */
  private saturatedEndpoints(): string[] {
    return [...this.inFlightByEndpoint].filter(([, count]) => count >= this.perEndpoint).map(([id]) => id);
  }

  private async attempt(delivery: ClaimedDelivery, token: string): Promise<void> {
    try {
      const result = await this.send(delivery);
      const now = Date.now();
      const step = nextStep(result, delivery.attempts, this.config.webhooks.retryScheduleMs, now);
      webhookAttempts.inc({ outcome: step.status === 'pending' ? 'retry' : step.status });
      if (step.status === 'delivered') return await this.recordDelivered(delivery.id, token, result.statusCode ?? 200);
      await this.repository.recordAttempt(
        delivery.id,
        token,
        { ...step, statusCode: result.statusCode, error: result.error },
        new Date(now),
      );
    } catch (error) {
      // The lease lapses and any instance retries it: at-least-once, never lost.
      this.logger.warn(`webhook delivery ${delivery.id} not recorded: ${(error as Error).message}`);
    }
  }

  /**
   * Successes that finish within a few milliseconds of each other are recorded by one UPDATE per claim
   * and status code; failures (rarer, each with its own next attempt) one by one.
   */
  private recordDelivered(id: string, token: string, statusCode: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.delivered.push({ id, token, statusCode, done: (error) => (error ? reject(error) : resolve()) });
      this.flushTimer ??= setTimeout(() => void this.flushDelivered(), 2);
    });
  }

  private async flushDelivered(): Promise<void> {
    const batch = this.delivered;
    this.delivered = [];
    this.flushTimer = undefined;
    const groups = new Map<string, typeof batch>();
    for (const entry of batch) {
      const key = `${entry.token}:${entry.statusCode}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    const now = new Date();
    await Promise.all(
      [...groups.values()].map(async (entries) => {
        const { token, statusCode } = entries[0];
        try {
          await this.repository.recordDelivered(
            entries.map((entry) => entry.id),
            token,
            statusCode,
            now,
          );
          for (const entry of entries) entry.done();
        } catch (error) {
          for (const entry of entries) entry.done(error as Error);
        }
      }),
    );
  }

  private send(delivery: ClaimedDelivery): Promise<SendResult> {
    let secret: string;
    let body: string;
    try {
      secret = this.box.open(delivery.secretCiphertext).toString('utf8');
      body = (delivery.body ?? this.box.open(delivery.bodyCiphertext as Buffer)).toString('utf8');
    } catch {
      return Promise.resolve({ ok: false, statusCode: null, error: 'cannot decrypt: was WEBHOOK_SECRET_KEY changed?' });
    }
    return this.sender.send(
      delivery.url,
      {
        'content-type': 'application/json',
        'user-agent': 'Mainspring-Webhooks/1',
        'mainspring-event-id': delivery.eventId,
        'mainspring-event-type': delivery.eventType,
        'mainspring-signature': signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    );
  }
}
