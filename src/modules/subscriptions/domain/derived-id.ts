import { createHash } from 'node:crypto';

/**
 * A UUID v7 derived from a timestamp and a name: time-ordered like `newId()`, but the same inputs
 * always give the same id. Renewal invoices use it (subscription + period start), so a renewal
 * transaction that is retried after a deadlock bills the same invoice id, and the charge's
 * idempotency key (derived from the invoice) is the same: the gateway never charges twice.
 */
export function derivedId(msecs: number, name: string): string {
  const hash = createHash('sha256').update(name).digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(msecs)), 0, 6);
  bytes[6] = 0x70 | (hash[0] & 0x0f);
  bytes[7] = hash[1];
  bytes[8] = 0x80 | (hash[2] & 0x3f);
  hash.copy(bytes, 9, 3, 10);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
