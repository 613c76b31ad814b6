import { describe, expect, it } from '@jest/globals';
import type { RecommendationResponse } from '../dto/recommendation.dto.js';
import { RecommendationLists } from './recommendation-lists.js';

const item = (id: string, score: number) => ({ product: { id }, score }) as unknown as RecommendationResponse;

describe(RecommendationLists.name, () => {
  const all = [item('a', 3), item('b', 2), item('c', 1)];

  it('answers a limit with the prefix of the longest list, in order', () => {
    const lists = new RecommendationLists(all);
    expect(lists.answer(2).data.map((r) => r.product.id)).toEqual(['a', 'b']);
    expect(lists.answer(1).data.map((r) => r.product.id)).toEqual(['a']);
    expect(lists.answer(5).data).toEqual(all);
  });

  it('hands back the same object for the same limit (a direct route serialises an object once)', () => {
    const lists = new RecommendationLists(all);
    const first = lists.answer(2);
    expect(lists.answer(2)).toBe(first);
    expect(lists.answer(3)).not.toBe(first);
    expect(lists.answer(20)).toBe(lists.answer(20));
  });

  it('does not change the cached list when answering', () => {
    const lists = new RecommendationLists([...all]);
    lists.answer(1);
    expect(lists.all).toEqual(all);
  });
});
