import etag from '@fastify/etag';
import helmet from '@fastify/helmet';
import type { Logger as Pino } from 'pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from './config/app-config.js';
import { AppModule, type ModuleImport } from './app.module.js';
import { registerHttpHooks, requestIdFor } from './infrastructure/http/http-hooks.js';
import { createRootLogger, PinoNestLogger } from './infrastructure/logging/logger.js';
import { setupSwagger } from './swagger.js';

export const BODY_LIMIT_BYTES = 1_048_576;

/**
 * Builds the whole HTTP application from a config: used by main.ts and by every e2e test,
 * so tests exercise exactly the pipeline production runs.
 */
export async function createApp(
  config: AppConfig,
  rootLogger: Pino = createRootLogger(config),
  extraImports: ModuleImport[] = [],
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    genReqId: requestIdFor,
    // In-flight requests finish on close; idle keep-alive sockets are closed so shutdown is prompt.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, extraImports), adapter, {
    logger: new PinoNestLogger(rootLogger),
    abortOnError: false,
  });

  registerHttpHooks(app.getHttpAdapter().getInstance(), rootLogger, config.exposeQueryCount);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        scriptSrc: [`'self'`, `'unsafe-inline'`],
      },
    },
  });
  await app.register(etag, { weak: true });
  app.enableCors({ origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false });

  await setupSwagger(app);
  return app;
}
