import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SecretBox } from './secret-box.js';
import { newSigningSecret, signatureHeader, verifySignature } from './signature.js';

describe('signatureHeader', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>', () => {
    const expected = createHmac('sha256', 'whsec_x').update('1700000000.{"a":1}').digest('hex');
    expect(signatureHeader('whsec_x', '{"a":1}', 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies within the tolerance only, and only for the same secret and body', () => {
    const secret = newSigningSecret();
    const header = signatureHeader(secret, 'body', 1_000);
    expect(verifySignature(secret, 'body', header, 1_100)).toBe(true);
    expect(verifySignature(secret, 'body', header, 1_400)).toBe(false);
    expect(verifySignature(secret, 'body!', header, 1_100)).toBe(false);
    expect(verifySignature(newSigningSecret(), 'body', header, 1_100)).toBe(false);
  });
});

describe('SecretBox', () => {
  it('round-trips, and refuses another key or changed bytes', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = new SecretBox(key).seal('whsec_secret');
    expect(sealed.toString()).not.toContain('whsec_secret');
    expect(new SecretBox(key).open(sealed).toString()).toBe('whsec_secret');
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
    sealed[sealed.length - 1] ^= 1;
    expect(() => new SecretBox(key).open(sealed)).toThrow();
  });
});
