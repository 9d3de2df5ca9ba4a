import { startBackend, type Backend } from '../../testkit/backend.ts';
import { startCollector } from '../../testkit/collector.ts';
import { startClouds } from '../../testkit/clouds.ts';
import { KEYS, type HoneycombFake } from '../../testkit/honeycomb.ts';
import type { XrayFake } from '../../testkit/aws/xray.ts';
import { loadSettings } from '../lib/workspace/settings.ts';

export { AWS, BOOTCAMP, startClouds, TEAM, TEST_ENV, type Clouds } from '../../testkit/clouds.ts';

/**
 * Every destination of the pipeline on loopback: the clouds, the real collector forwarding
 * to them (CloudWatch Logs only with `cloudwatchLogs`, as CLOUDWATCH_LOGS=true), and the real
 * backend exporting to the collector.
 */
export async function startWorld(opts: { cloudwatchLogs?: boolean } = {}) {
  const clouds = await startClouds();
  const collector = await startCollector({
    honeycomb: { url: clouds.honeycomb.url, key: KEYS.enterprise },
    xray: { url: clouds.xray.url, region: 'us-east-1' },
    ...(opts.cloudwatchLogs ? { cloudwatchLogs: { url: clouds.logs.url } } : {}),
  });
  const backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } });
  const env = (extra: Record<string, string | undefined> = {}) => clouds.env({ OTEL_COLLECTOR_URL: collector.url, BACKEND_URL: backend.url, ...extra });
  return {
    ...clouds,
    collector,
    backend,
    env,
    settings: (extra: Record<string, string | undefined> = {}) => loadSettings(env(extra), {}),
    async close() {
      await backend.stop();
      await Promise.all([clouds.close(), collector.close()]);
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;
export type { Backend, HoneycombFake, XrayFake };
