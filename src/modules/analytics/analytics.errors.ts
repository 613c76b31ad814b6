import { badRequest } from '../../common/errors/domain-error.js';

/** The analytics module's error codes (problem+json `code`). */
export const AnalyticsErrors = {
  /** A metric range the DTO could not check on its own (order of from/to, bucket count): a 400 naming the field. */
  invalidRange: (field: 'from' | 'to', message: string) =>
    badRequest('validation_failed', 'The request is invalid', [{ field, message }]),
} as const;
