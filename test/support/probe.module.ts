import { Body, Controller, Get, HttpCode, Module, Param, Post, Query } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, MinLength } from 'class-validator';
import { Public } from '../../src/common/auth/public.decorator.js';
import { conflict } from '../../src/common/errors/domain-error.js';
import { Idempotent } from '../../src/common/idempotency/idempotency.interceptor.js';
import { AppCacheService } from '../../src/infrastructure/cache/app-cache.service.js';

export class EchoBody {
  @IsString()
  @MinLength(2)
  name: string;

  @IsOptional()
  @IsInt()
  @Max(10)
  count?: number;
}

/** Test-only routes that exercise the shared pipeline (validation, idempotency, cache, shutdown). */
@Public()
@Controller('probe')
export class ProbeController {
  static executions = 0;
  static loads = 0;

  constructor(private readonly cache: AppCacheService) {}

  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: EchoBody): EchoBody {
    return body;
  }

  @Post('idempotent')
  @Idempotent()
  async idempotent(
    @Body() body: EchoBody,
    @Query('delayMs') delayMs?: string,
  ): Promise<{ execution: number; name: string }> {
    const execution = ++ProbeController.executions;
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, Number(delayMs)));
    if (body.name === 'conflict') throw conflict('probe_conflict', 'always conflicts');
    return { execution, name: body.name };
  }

  @Get('boom')
  boom(): never {
    throw new Error('probe: something unexpected');
  }

  @Get('slow')
  async slow(@Query('ms') ms: string): Promise<{ waited: number }> {
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    return { waited: Number(ms) };
  }

  @Get('cache/:key')
  cached(@Param('key') key: string): Promise<{ key: string; load: number }> {
    return this.cache.getOrLoad(
      `probe:${key}`,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { key, load: ++ProbeController.loads };
      },
      { tags: ['probe'] },
    );
  }

  @Post('cache/invalidate')
  @HttpCode(204)
  async invalidate(): Promise<void> {
    await this.cache.invalidateTags('probe');
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
