export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An expected failure with a stable code. Services throw these; one filter turns them into
 * application/problem+json. `extra` adds contract fields (e.g. the short items of a reservation).
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { errors?: FieldError[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new DomainError(400, code, message, { errors });
export const unauthorized = (message = 'Authentication required') => new DomainError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError(403, 'forbidden', message);
export const notFound = (entity: string) => new DomainError(404, 'not_found', `${entity} not found`);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new DomainError(409, code, message, { extra });
export const preconditionFailed = (message: string) => new DomainError(412, 'version_mismatch', message);
export const serviceUnavailable = (message = 'A dependency is unavailable, try again shortly') =>
  new DomainError(503, 'unavailable', message, { headers: { 'retry-after': '1' } });
