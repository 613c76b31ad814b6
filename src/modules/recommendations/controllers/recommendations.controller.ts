import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentActor } from '../../../common/auth/current-actor.decorator.js';
import { Public } from '../../../common/auth/public.decorator.js';
import { uuidArgument } from '../../../common/errors/validation.js';
import { CachedGet } from '../../../infrastructure/cache/cached-get.js';
import { ServeDirect } from '../../../infrastructure/http/direct-route.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { RecommendationListResponse, RecommendationQuery, recommendationQueryOf } from '../dto/recommendation.dto.js';
import { RecommendationCacheKeys, RecommendationCacheTtl } from '../recommendations.cache-keys.js';
import { RecommendationService } from '../services/recommendation.service.js';

const limitOf = (req: FastifyRequest) => (req.query as Record<string, unknown>).limit;
const userIdOf = (req: FastifyRequest) => req.context.actor?.id ?? 'anonymous';

@ApiTags('recommendations')
@Controller('api/v1')
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationService) {}

  /** Cached in the service (near cache + Redis): one list per product serves every `limit`. */
  @Get('products/:id/recommendations')
  @Public()
  // Served directly (a hot public read): the id is checked by uuidArgument, the query by recommendationQueryOf,
  // with the 400s uuidParam and the global pipe give.
  @ServeDirect((req) => [
    uuidArgument((req.params as { id: string }).id),
    recommendationQueryOf(req.query as Record<string, unknown>),
  ])
  @ApiOkResponse({
    type: RecommendationListResponse,
    description: 'Active, in-stock products most often bought together with this one (ties: newer product first)',
  })
  @ApiResponse({ status: 404, description: 'Unknown product' })
  forProduct(
    @Param('id') id: string,
    @Query() query: RecommendationQuery,
  ): RecommendationListResponse | Promise<RecommendationListResponse> {
    return this.recommendations.forProduct(id, query.limit);
  }

  @Get('recommendations/me')
  @Authenticated()
  @Header('cache-control', 'private, no-cache')
  @CachedGet({
    key: (req) => RecommendationCacheKeys.forUser(userIdOf(req), limitOf(req)),
    tags: (req) => [RecommendationCacheKeys.userTag(userIdOf(req))],
    ttlMs: RecommendationCacheTtl.ms,
  })
  @ApiOkResponse({
    type: RecommendationListResponse,
    description: 'Products bought together with what you bought, minus what you bought',
  })
  forCaller(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() query: RecommendationQuery,
  ): Promise<RecommendationListResponse> {
    return this.recommendations.forUser(actor.id, query.limit);
  }
}
