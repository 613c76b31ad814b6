import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './bootstrap.js';
import { DatabaseUnreachableError, ensureDatabase } from './infrastructure/database/prepare-database.js';
import { ShutdownState } from './infrastructure/health/shutdown-state.js';
import { createRootLogger } from './infrastructure/logging/logger.js';

/** Expected start-up failures print one line that says what to fix; anything else keeps its stack. */
function fail(error: unknown): never {
  const expected = error instanceof ConfigError || error instanceof DatabaseUnreachableError;
  console.error(`mainspring: ${expected ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config);
  const rootLogger = createRootLogger(config);
  const app = await createApp(config, rootLogger);
  const logger = new Logger('Main');
  if (config.auth.jwtSecretGenerated) {
    logger.warn('JWT_SECRET is not set: using a random per-process secret (set it when running several instances)');
  }
  if (config.webhooks.secretKeySource === 'random') {
    logger.warn('WEBHOOK_SECRET_KEY and JWT_SECRET are not set: webhook secrets will not survive a restart');
  } else if (config.webhooks.secretKeySource === 'jwt' && config.env === 'production') {
    logger.warn('WEBHOOK_SECRET_KEY is not set: webhook secrets are encrypted with a key derived from JWT_SECRET');
  }
  await app.listen({ port: config.port, host: config.host });
  logger.log(`listening on ${config.host}:${config.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining in-flight requests (grace ${config.shutdownGraceMs} ms)`);
    app.get(ShutdownState).begin();
    const deadline = setTimeout(() => {
      logger.warn('grace period over, exiting with requests still in flight');
      process.exit(1);
    }, config.shutdownGraceMs);
    deadline.unref();
    await app.close();
    rootLogger.flush(() => process.exit(0));
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch(fail);
