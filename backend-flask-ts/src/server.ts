import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { logger } from './logging/logger.ts';
import { shutdownTelemetry } from './telemetry/sdk.ts';

function listen(config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const app = createApp(config);
    const server = config.host ? app.listen(config.port, config.host) : app.listen(config.port);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger.error(err.message);
    process.exit(1);
  }
  let server: Server;
  try {
    server = await listen(config);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    logger.error(
      code === 'EADDRINUSE'
        ? `port ${config.port} is in use: stop what runs there (docker compose ps) or set PORT`
        : `cannot listen on port ${config.port}: ${(err as Error).message}`,
    );
    await shutdownTelemetry();
    process.exit(1);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info('backend-flask-ts listening', { port, frontend_url: config.frontendUrl });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping: flushing spans and logs', { signal });
    server.close();
    server.closeIdleConnections();
    await shutdownTelemetry();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

await main();
