import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { afterCommit } from '../../infrastructure/database/transaction.service.js';

/** Something that happened, named `<entity>.<verb>` (e.g. `product.update`); the rest is its payload. */
export interface DomainEvent {
  readonly name: string;
}

/**
 * The in-process domain event bus. A service records an event inside its `TransactionService.run`
 * (on the manager it was given); the event is published once that transaction has committed,
 * never for a rolled-back change, and of a deadlock-retried transaction only the committed
 * attempt's events. Every audited change is published this way by AuditService (see AuditedChange),
 * so most modules never call this themselves. Subscribers use `@OnDomainEvent('product.update')`
 * (or a wildcard, `'product.*'`). Delivery is in this process only, at most once, synchronous
 * with the end of `run`: a subscriber must be quick (or hand off) and its errors are logged, not
 * thrown. Durable or cross-instance delivery is not this bus's job (webhooks use an outbox).
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);

  constructor(private readonly emitter: EventEmitter2) {}

  record(manager: EntityManager, event: DomainEvent): void {
    afterCommit(manager, () => this.publish(event));
  }

  private publish(event: DomainEvent): void {
    try {
      this.emitter.emit(event.name, event);
    } catch (error) {
      this.logger.error(`subscriber of ${event.name} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
}

/** Subscribes a provider method to a domain event (name or `'<entity>.*'`); its errors are logged. */
export const OnDomainEvent = (name: string): MethodDecorator => OnEvent(name, { suppressErrors: true });
