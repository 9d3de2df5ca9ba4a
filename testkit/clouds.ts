import { KEYS, startHoneycombFake, type Exchange } from './honeycomb.ts';
import { startStsFake } from './aws/sts.ts';
import { startXrayFake } from './aws/xray.ts';
import { startCloudWatchLogsFake } from './aws/cloudwatch-logs.ts';
import { loadSettings } from '../scripts/lib/workspace/settings.ts';

export const TEAM = { name: 'Cruddur Bootcamp', slug: 'cruddur-bootcamp' };
export const BOOTCAMP = { name: 'bootcamp', slug: 'bootcamp' };
export const TEST_ENV = { name: 'test', slug: 'test' };
export const AWS = { AWS_ACCESS_KEY_ID: 'AKIASTUDENTTEST00001', AWS_SECRET_ACCESS_KEY: 'student-secret-not-real-0000000000000000', AWS_REGION: 'us-east-1' };

/** A CHROMIUM_PATH that is no browser: the browser hop is then not run unless named. */
export const NO_BROWSER = '/nonexistent/no-browser-here';

/** The cloud APIs on loopback: Honeycomb, X-Ray (group Cruddur), STS and CloudWatch Logs. */
export async function startClouds(listenOn: { host?: string; ports?: { honeycomb?: number; xray?: number; sts?: number; logs?: number }; minuteMs?: number; onExchange?: (e: Exchange) => void } = {}) {
  const on = (port?: number) => ({ port, host: listenOn.host });
  const honeycomb = await startHoneycombFake({
    listenOn: on(listenOn.ports?.honeycomb),
    onExchange: listenOn.onExchange,
    // Honeycomb's minute, a second long here unless the caller runs the fakes for real time
    // (the stack lane): the Query Data API's limits play out the same, sixty times faster.
    minuteMs: listenOn.minuteMs ?? 1000,
    keys: {
      [KEYS.config]: { team: TEAM, environment: BOOTCAMP, type: 'configuration' },
      // The student's key for everything: may query, and make boards and markers.
      [KEYS.enterprise]: { team: TEAM, environment: BOOTCAMP, type: 'configuration', enterprise: true, access: { boards: true } },
      [KEYS.ingest]: { team: TEAM, environment: BOOTCAMP, type: 'ingest' },
      [KEYS.otherEnv]: { team: TEAM, environment: TEST_ENV, type: 'configuration' },
      [KEYS.classic]: { team: TEAM, environment: { name: '', slug: '' }, type: 'configuration' },
    },
  });
  const xray = await startXrayFake({ listenOn: on(listenOn.ports?.xray), credentials: { [AWS.AWS_ACCESS_KEY_ID]: AWS.AWS_SECRET_ACCESS_KEY } });
  xray.addGroup('Cruddur', 'service("backend-flask")');
  const sts = await startStsFake({
    listenOn: on(listenOn.ports?.sts),
    identities: { [AWS.AWS_ACCESS_KEY_ID]: { Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/student', UserId: 'AIDASTUDENT', Secret: AWS.AWS_SECRET_ACCESS_KEY } },
  });
  const logs = await startCloudWatchLogsFake({ listenOn: on(listenOn.ports?.logs), credentials: { [AWS.AWS_ACCESS_KEY_ID]: AWS.AWS_SECRET_ACCESS_KEY } });
  const env = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
    HOME: '/nonexistent',
    PATH: process.env.PATH,
    HONEYCOMB_API_KEY: KEYS.enterprise,
    HONEYCOMB_API_ENDPOINT: honeycomb.url,
    HONEYCOMB_ENVIRONMENT: 'bootcamp',
    ...AWS,
    AWS_ENDPOINT_URL_XRAY: xray.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url,
    // No browser: the smoke's browser hop needs a front end, which only its own tests serve
    // (scripts/test/smoke/browser-hop.test.ts); elsewhere the smoke runs the other hops.
    CHROMIUM_PATH: NO_BROWSER,
    ...extra,
  });
  return {
    honeycomb,
    xray,
    sts,
    logs,
    env,
    settings: (extra: Record<string, string | undefined> = {}, dotenv: Record<string, string> = {}) => loadSettings(env(extra), dotenv),
    async close() {
      await Promise.all([honeycomb.close(), xray.close(), sts.close(), logs.close()]);
    },
  };
}

export type Clouds = Awaited<ReturnType<typeof startClouds>>;
