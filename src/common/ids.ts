import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids (UUID v7): keyset pagination and index locality follow creation order. */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed id (any UUID shape): anything else is refused before it reaches a cache or SQL. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
