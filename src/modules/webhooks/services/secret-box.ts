import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with the key from WEBHOOK_SECRET_KEY: what webhooks keeps reversibly (signing secrets,
 * event bodies) is unreadable in a database dump or backup without the key, and tampering is
 * detected (the tag). Layout: iv (12) ‖ tag (16) ‖ ciphertext.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {}

  seal(plaintext: string | Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the key is not the one that sealed it or the bytes were changed. */
  open(sealed: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
