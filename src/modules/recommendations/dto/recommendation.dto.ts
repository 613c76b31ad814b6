import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { validatedQuery } from '../../../common/errors/validation.js';
import { ProductResponse } from '../../inventory/index.js';

export const DEFAULT_RECOMMENDATIONS = 5;
export const MAX_RECOMMENDATIONS = 20;

export class RecommendationQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RECOMMENDATIONS, default: DEFAULT_RECOMMENDATIONS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RECOMMENDATIONS)
  limit?: number;
}

const NO_QUERY: RecommendationQuery = Object.freeze({});

/**
 * RecommendationQuery from a direct route's query string (@ServeDirect runs no pipe). The usual requests
 * (no query, or a valid `limit` alone: `Number()` of it, as @Type(() => Number) converts) are read here
 * without class-validator; anything else goes through validatedQuery, the global pipe's checks: the
 * same 400 problem, field for field (pinned against the piped GET /recommendations/me in e2e).
 */
export function recommendationQueryOf(query: Record<string, unknown>): RecommendationQuery {
  let fields = 0;
  for (const field in query) {
    if (field !== 'limit') return validatedQuery(RecommendationQuery, query);
    fields++;
  }
  if (fields === 0) return NO_QUERY;
  const limit = typeof query.limit === 'string' ? Number(query.limit) : Number.NaN;
  if (Number.isInteger(limit) && limit >= 1 && limit <= MAX_RECOMMENDATIONS) return { limit };
  return validatedQuery(RecommendationQuery, query);
}

export class RecommendationResponse {
  @ApiProperty({ type: ProductResponse }) product: ProductResponse;
  @ApiProperty({ description: 'Paid orders containing both products (for /me: summed over what you bought)' })
  score: number;
}

export class RecommendationListResponse {
  @ApiProperty({ type: [RecommendationResponse] }) data: RecommendationResponse[];
}
