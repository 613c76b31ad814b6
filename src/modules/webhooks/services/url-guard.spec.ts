import { describe, expect, it } from '@jest/globals';
import { isPrivateAddress, literalAddress } from './url-guard.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('literalAddress', () => {
  it('finds v4 and bracketed v6 literals, not names', () => {
    expect(literalAddress(new URL('http://127.0.0.1:8080/x'))).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://[::1]/x'))).toBe('::1');
    expect(literalAddress(new URL('https://example.com/x'))).toBeUndefined();
  });
});
