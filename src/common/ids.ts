import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids (UUID v7): keyset pagination and index locality follow creation order. */
export function newId(): string {
  return uuidv7();
}
