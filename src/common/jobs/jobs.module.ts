import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobScheduler } from './job-scheduler.js';

/** Global: every module's jobs schedule themselves through JobScheduler. */
@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [JobScheduler],
  exports: [JobScheduler],
})
export class JobsModule {}
