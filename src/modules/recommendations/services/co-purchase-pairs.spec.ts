import { describe, expect, it } from '@jest/globals';
import { coPurchasePairs } from './co-purchase-pairs.js';

describe(coPurchasePairs.name, () => {
  it('gives every ordered pair of distinct products once, in key order, never a product with itself', () => {
    expect(coPurchasePairs(['c', 'a', 'b', 'a'])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'a'],
      ['b', 'c'],
      ['c', 'a'],
      ['c', 'b'],
    ]);
  });

  it('has no pairs for an order of one product (even repeated)', () => {
    expect(coPurchasePairs(['a'])).toEqual([]);
    expect(coPurchasePairs(['a', 'a'])).toEqual([]);
    expect(coPurchasePairs([])).toEqual([]);
  });

  it('gives n(n−1) pairs for n distinct products', () => {
    const ids = Array.from({ length: 5 }, (_, i) => `p${i}`);
    expect(coPurchasePairs(ids)).toHaveLength(20);
  });
});
