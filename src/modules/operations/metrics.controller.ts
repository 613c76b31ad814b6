import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../../common/auth/public.decorator.js';
import { SkipRateLimit } from '../../common/rate-limit/rate-limit.decorators.js';
import { metricsRegistry } from '../../infrastructure/metrics/metrics.js';

@Public()
@SkipRateLimit()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
