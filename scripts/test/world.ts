import { startBackend, type Backend } from '../../testkit/backend.ts';
import { startCollectorStandIn } from '../../testkit/collector.ts';
import { KEYS, startHoneycombFake, type HoneycombFake } from '../../testkit/honeycomb.ts';
import { startStsFake } from '../../testkit/aws/sts.ts';
import { startXrayFake, type XrayFake } from '../../testkit/aws/xray.ts';
import { loadSettings } from '../lib/settings.ts';

export const TEAM = { name: 'Cruddur Bootcamp', slug: 'cruddur-bootcamp' };
export const BOOTCAMP = { name: 'bootcamp', slug: 'bootcamp' };
export const TEST_ENV = { name: 'test', slug: 'test' };
export const AWS = { AWS_ACCESS_KEY_ID: 'AKIASTUDENTTEST00001', AWS_SECRET_ACCESS_KEY: 'student-secret-not-real-0000000000000000', AWS_REGION: 'us-east-1' };

/** The cloud APIs on loopback: Honeycomb, X-Ray (group Cruddur) and STS. */
export async function startClouds() {
  const honeycomb = await startHoneycombFake({
    keys: {
      [KEYS.config]: { team: TEAM, environment: BOOTCAMP, type: 'configuration' },
      [KEYS.enterprise]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', enterprise: true },
      [KEYS.ingest]: { team: TEAM, environment: BOOTCAMP, type: 'ingest' },
      [KEYS.otherEnv]: { team: TEAM, environment: TEST_ENV, type: 'configuration' },
    },
  });
  const xray = await startXrayFake();
  xray.addGroup('Cruddur', 'service("backend-flask")');
  const sts = await startStsFake({
    identities: { [AWS.AWS_ACCESS_KEY_ID]: { Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/student', UserId: 'AIDASTUDENT' } },
  });
  const env = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
    HOME: '/nonexistent',
    PATH: process.env.PATH,
    HONEYCOMB_API_KEY: KEYS.enterprise,
    HONEYCOMB_API_ENDPOINT: honeycomb.url,
    HONEYCOMB_ENVIRONMENT: 'bootcamp',
    ...AWS,
    AWS_ENDPOINT_URL_XRAY: xray.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    ...extra,
  });
  return {
    honeycomb,
    xray,
    sts,
    env,
    settings: (extra: Record<string, string | undefined> = {}, dotenv: Record<string, string> = {}) => loadSettings(env(extra), dotenv),
    async close() {
      await Promise.all([honeycomb.close(), xray.close(), sts.close()]);
    },
  };
}

export type Clouds = Awaited<ReturnType<typeof startClouds>>;

/**
 * Every destination of the pipeline on loopback: the clouds, a collector stand-in forwarding
 * to both, and the real backend exporting to the collector.
 */
export async function startWorld() {
  const clouds = await startClouds();
  const collector = await startCollectorStandIn({
    honeycomb: { url: clouds.honeycomb.url, key: KEYS.enterprise },
    xray: { url: clouds.xray.url, region: 'us-east-1' },
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
