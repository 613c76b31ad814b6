import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
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

export class RecommendationResponse {
  @ApiProperty({ type: ProductResponse }) product: ProductResponse;
  @ApiProperty({ description: 'Paid orders containing both products (for /me: summed over what you bought)' })
  score: number;
}

export class RecommendationListResponse {
  @ApiProperty({ type: [RecommendationResponse] }) data: RecommendationResponse[];
}
