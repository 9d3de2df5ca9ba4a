// Loaded with `node --import ./src/telemetry/register.ts`: the ESM loader hook must be in
// place before express is imported, or its instrumentation never patches it.
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const { startTelemetry } = await import('./sdk.ts');
try {
  startTelemetry();
} catch (err) {
  // Bad tracing configuration must not take the API down: say what is wrong and serve untraced.
  const { logger } = await import('../logging/logger.ts');
  logger.error('tracing is off: its configuration is invalid', { error: err });
}
