import { type AfterQueryEvent, type EntitySubscriberInterface, EventSubscriber } from 'typeorm';
import { requestContext } from '../http/request-context.js';
import { dbQueryDuration } from '../metrics/metrics.js';

/** Times every statement for /metrics and counts it against the current request. */
@EventSubscriber()
export class QueryObserver implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    const context = requestContext.current();
    if (context) context.queryCount++;
    if (event.executionTime !== undefined) {
      dbQueryDuration.observe({ outcome: event.success ? 'ok' : 'error' }, event.executionTime / 1000);
    }
  }
}
