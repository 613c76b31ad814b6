import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadinessIndicators } from './readiness.indicators.js';
import { ShutdownState } from './shutdown-state.js';

/** Readiness checks and the draining flag; the /health routes are in modules/operations. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [ReadinessIndicators, ShutdownState],
  exports: [ShutdownState, ReadinessIndicators, TerminusModule],
})
export class HealthModule {}
