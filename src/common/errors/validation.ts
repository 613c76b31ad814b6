import { ParseUUIDPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { badRequest, type FieldError } from './domain-error.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Whitelist, reject unknown fields, transform; failures become a 400 problem with field errors. */
export const validationPipeOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => badRequest('validation_failed', 'The request is invalid', flatten(errors)),
};

const malformedId = () =>
  badRequest('validation_failed', 'The request is invalid', [{ field: 'id', message: 'id must be a UUID' }]);

/** `@Param('id', uuidParam)`: a malformed id is the same 400 validation problem, naming the parameter. */
export const uuidParam = new ParseUUIDPipe({ exceptionFactory: malformedId });

/** The pipe's own check, callable synchronously (ParseUUIDPipe keeps it protected). */
class UuidCheck extends ParseUUIDPipe {
  accepts(value: unknown): boolean {
    return typeof value === 'string' && this.isUUID(value);
  }
}
const uuidCheck = new UuidCheck({ exceptionFactory: malformedId });

/** uuidParam for a direct route's arguments (@ServeDirect runs no pipes): the same check, the same 400. */
export function uuidArgument(value: unknown): string {
  if (!uuidCheck.accepts(value)) throw malformedId();
  return value as string;
}

/**
 * What the global ValidationPipe (validationPipeOptions) does to a flat `@Query()` DTO, for a direct
 * route's arguments (@ServeDirect runs no pipes): the same conversion, the same checks (unknown fields
 * refused), the same 400. Synchronous, so only for DTOs without async or nested validation.
 */
export function validatedQuery<T extends object>(type: new () => T, query: unknown): T {
  const value = plainToInstance(type, { ...(query as object) });
  const errors = validateSync(value, {
    forbidUnknownValues: false,
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw badRequest('validation_failed', 'The request is invalid', flatten(errors));
  return value;
}
