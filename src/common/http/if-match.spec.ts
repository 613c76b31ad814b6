import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors/domain-error.js';
import { parseIfMatch } from './if-match.js';

describe(parseIfMatch.name, () => {
  it.each([
    ['3', 3],
    ['"3"', 3],
    ['W/"12"', 12],
    [' 7 ', 7],
  ])('reads %p as version %p', (header, version) => {
    expect(parseIfMatch(header)).toBe(version);
  });

  it('is undefined without the header', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it.each(['abc', '*', '1.5', '"x"'])('rejects %p with 400', (header) => {
    expect(() => parseIfMatch(header)).toThrow(DomainError);
    try {
      parseIfMatch(header);
    } catch (error) {
      expect((error as DomainError).status).toBe(400);
    }
  });
});
