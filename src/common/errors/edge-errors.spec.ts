import { describe, expect, it } from '@jest/globals';
import { jsonDepthExceeds } from './edge-errors.js';

describe(jsonDepthExceeds.name, () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[{{{{\\"[[["}', 1)).toBe(false);
  });

  it('stops early on a hostile document', () => {
    expect(jsonDepthExceeds('['.repeat(100_000), 32)).toBe(true);
  });
});
