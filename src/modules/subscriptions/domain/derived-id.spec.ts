import { describe, expect, it } from '@jest/globals';
import { validate, version } from 'uuid';
import { derivedId } from './derived-id.js';

describe('derivedId', () => {
  it('is a valid, deterministic UUID v7', () => {
    const id = derivedId(Date.UTC(2030, 0, 1), 'renewal:abc:2030-01-01');
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    expect(derivedId(Date.UTC(2030, 0, 1), 'renewal:abc:2030-01-01')).toBe(id);
    expect(derivedId(Date.UTC(2030, 0, 1), 'renewal:abd:2030-01-01')).not.toBe(id);
  });

  it('sorts by time', () => {
    expect(derivedId(1000, 'z') < derivedId(2000, 'a')).toBe(true);
  });
});
