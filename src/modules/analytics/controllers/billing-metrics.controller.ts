import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { CachedGet } from '../../../infrastructure/cache/cached-get.js';
import { AnalyticsCacheKeys, METRICS_CACHE_TTL_MS } from '../analytics.cache-keys.js';
import { MetricSeriesQuery, MrrSeriesResponse } from '../dto/billing-metrics.dto.js';
import { MrrMetricsService } from '../services/mrr-metrics.service.js';

@ApiTags('billing')
@Controller('api/v1/billing/metrics')
export class BillingMetricsController {
  constructor(private readonly mrr: MrrMetricsService) {}

  @Get('mrr')
  @RequirePermission('billing:read')
  @CachedGet({
    key: (req) => AnalyticsCacheKeys.metric('mrr', req.query),
    tags: () => [AnalyticsCacheKeys.metricsTag()],
    ttlMs: METRICS_CACHE_TTL_MS,
  })
  @ApiOkResponse({ type: MrrSeriesResponse })
  mrrSeries(@Query() query: MetricSeriesQuery): Promise<MrrSeriesResponse> {
    return this.mrr.series(query);
  }
}
