import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { CachedGet } from '../../../infrastructure/cache/cached-get.js';
import { AnalyticsCacheKeys, METRICS_CACHE_TTL_MS } from '../analytics.cache-keys.js';
import {
  DunningResponse,
  MetricPeriodQuery,
  MetricSeriesQuery,
  MrrSeriesResponse,
  RevenueSeriesResponse,
} from '../dto/billing-metrics.dto.js';
import { DunningMetricsService } from '../services/dunning-metrics.service.js';
import { MrrMetricsService } from '../services/mrr-metrics.service.js';
import { RevenueMetricsService } from '../services/revenue-metrics.service.js';

/** Admin billing metrics (docs/analytics.md defines each figure and how it is cached). */
@ApiTags('billing')
@Controller('api/v1/billing/metrics')
export class BillingMetricsController {
  constructor(
    private readonly mrr: MrrMetricsService,
    private readonly revenue: RevenueMetricsService,
    private readonly dunningMetrics: DunningMetricsService,
  ) {}

  @Get('mrr')
  @RequirePermission('billing:read')
  @CachedGet({
    key: (req) => AnalyticsCacheKeys.metric('mrr', req.query),
    tags: () => [AnalyticsCacheKeys.metricsTag()],
    ttlMs: METRICS_CACHE_TTL_MS,
    readsReplica: true,
  })
  @ApiOkResponse({ type: MrrSeriesResponse })
  mrrSeries(@Query() query: MetricSeriesQuery): Promise<MrrSeriesResponse> {
    return this.mrr.series(query);
  }

  @Get('revenue')
  @RequirePermission('billing:read')
  @ApiOkResponse({ type: RevenueSeriesResponse })
  revenueSeries(@Query() query: MetricSeriesQuery): Promise<RevenueSeriesResponse> {
    return this.revenue.series(query);
  }

  @Get('dunning')
  @RequirePermission('billing:read')
  @ApiOkResponse({ type: DunningResponse })
  dunning(@Query() query: MetricPeriodQuery): Promise<DunningResponse> {
    return this.dunningMetrics.dunning(query);
  }
}
