import { describe, expect, it } from '@jest/globals';
import { normalizeItems } from './stock-items.js';

describe(normalizeItems.name, () => {
  it('merges duplicate products and sorts by product id', () => {
    expect(
      normalizeItems([
        { productId: 'c', quantity: 1 },
        { productId: 'a', quantity: 2 },
        { productId: 'c', quantity: 3 },
        { productId: 'b', quantity: 1 },
      ]),
    ).toEqual([
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 1 },
      { productId: 'c', quantity: 4 },
    ]);
  });

  it('gives the same order whatever order the lines come in', () => {
    const forward = normalizeItems([
      { productId: '0192-a', quantity: 1 },
      { productId: '0192-b', quantity: 1 },
    ]);
    const backward = normalizeItems([
      { productId: '0192-b', quantity: 1 },
      { productId: '0192-a', quantity: 1 },
    ]);
    expect(backward).toEqual(forward);
  });
});
