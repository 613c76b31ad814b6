import type { RecommendationListResponse, RecommendationResponse } from '../dto/recommendation.dto.js';

/**
 * What the near cache keeps for a product: its longest list, and the answer for each `limit` (a prefix),
 * built on first use and then handed back as the same object. The route is served directly (ServeDirect),
 * which serialises and ETags an answer once per object: a warm read then costs a look-up, not a
 * JSON.stringify and a hash. Nothing here is changed after it has been handed out.
 */
export class RecommendationLists {
  private readonly answers: RecommendationListResponse[] = [];

  constructor(readonly all: RecommendationResponse[]) {}

  /** `limit` is validated (1..MAX_RECOMMENDATIONS), so at most that many answers are kept. */
  answer(limit: number): RecommendationListResponse {
    return (this.answers[limit] ??= { data: this.all.length > limit ? this.all.slice(0, limit) : this.all });
  }
}
