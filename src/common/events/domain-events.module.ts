import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { DomainEvents } from './domain-events.js';

/** Global: any service may record domain events, any provider may subscribe with @OnDomainEvent. */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: '.', maxListeners: 100 })],
  providers: [DomainEvents],
  exports: [DomainEvents],
})
export class DomainEventsModule {}
