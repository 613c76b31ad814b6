import { badRequest, DomainError } from '../../common/errors/domain-error.js';

/** The webhooks module's error codes. */
export const WebhookErrors = {
  endpointNotFound: () => new DomainError(404, 'webhook_endpoint_not_found', 'Webhook endpoint not found'),
  deliveryNotFound: () => new DomainError(404, 'webhook_delivery_not_found', 'Webhook delivery not found'),
  urlRefused: (reason: string) =>
    badRequest('webhook_url_refused', `The webhook url is refused: ${reason}`, [
      { field: 'url', message: `url is refused: ${reason}` },
    ]),
};
