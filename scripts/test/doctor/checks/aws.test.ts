import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { awsCredentials, awsRegion } from '../../../doctor/checks/aws-credentials.ts';
import { selectsService, xrayGroup } from '../../../doctor/checks/xray-group.ts';
import { xrayRecentTraces } from '../../../doctor/checks/xray-traces.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { startStsFake } from '../../../../testkit/aws/sts.ts';
import { startXrayFake } from '../../../../testkit/aws/xray.ts';
import { withAwsProfile } from '../../../../testkit/aws/profile.ts';
import { AWS, startClouds, type Clouds } from '../../world.ts';
import { runCheck } from '../helpers.ts';

const t = suite<{ clouds: Clouds }>('aws checks');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(async (ctx) => {
  await ctx.clouds.close();
});

t('aws.credentials passes with the account and ARN from STS, the key id masked', async ({ clouds }) => {
  const r = await runCheck(awsCredentials, clouds.settings());
  assert.is(r.status, 'pass');
  assert.match(r.detail, /^account 123456789012, arn:aws:iam::123456789012:user\/student \(key AKIAS…#[0-9a-f]{8}\)$/);
});

t('aws.credentials: keys only in a profile (aws configure) are valid but never reach the collector: a failure that says so and how to fix it', async ({ clouds }) => {
  await withAwsProfile(async (file) => {
    const settings = clouds.settings({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: file });
    const r = await runCheck(awsCredentials, settings);
    assert.is(r.status, 'fail');
    assert.is(r.detail, 'account 123456789012, arn:aws:iam::123456789012:user/student, from ~/.aws: the checks here use it, but the collector gets only the environment and .env, so it sends X-Ray nothing');
    assert.is(r.fix, 'npm run setup copies long-term profile keys into .env; then docker compose up -d otel-collector');
    const named = await runCheck(awsCredentials, clouds.settings({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'default' }));
    assert.match(named.detail, /, from profile default: /);
    // Half saved: the key id in the environment, its secret only in the profile. The SDK finds the
    // profile's pair; the collector would get a key id with no secret.
    const half = await runCheck(awsCredentials, clouds.settings({ AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: file }));
    assert.is(half.status, 'fail', half.detail);
    assert.match(half.detail, /, from ~\/\.aws: the checks here use it, but the collector gets only the environment and \.env/);
  });
});

t('aws.credentials: a stale AWS_SESSION_TOKEN beside long-term keys is named, not taken for a mistyped key id', async ({ clouds }) => {
  const r = await runCheck(awsCredentials, clouds.settings({ AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjELf//////////stale' }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /^AWS refused AWS_SESSION_TOKEN: it is set beside long-term keys \(AKIA…\), which take no session token/);
  assert.match(r.fix!, /remove AWS_SESSION_TOKEN \(from \.env and the environment: unset AWS_SESSION_TOKEN\)/);
});

t('aws.credentials fails when there are none at all', async () => {
  const r = await runCheck(awsCredentials, loadSettings({ HOME: '/nonexistent' }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /no AWS credentials found/);
  assert.match(r.fix!, /npm run setup/);
});

t('aws.credentials: an unknown key id, a wrong secret and an expired token, each say so', async ({ clouds }) => {
  let r = await runCheck(awsCredentials, clouds.settings({ AWS_ACCESS_KEY_ID: 'AKIADELETEDKEY000000' }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /AWS does not recognise AWS_ACCESS_KEY_ID/);
  assert.match(r.fix!, /check the key id in IAM/);
  r = await runCheck(awsCredentials, clouds.settings({ AWS_SECRET_ACCESS_KEY: 'a-wrong-secret-0000000000000000000000000' }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /AWS_SECRET_ACCESS_KEY does not match the key id/);
  const sts = await startStsFake({ expired: { ASIAEXPIRED000000000: AWS.AWS_SECRET_ACCESS_KEY } });
  try {
    r = await runCheck(awsCredentials, clouds.settings({ AWS_ACCESS_KEY_ID: 'ASIAEXPIRED000000000', AWS_SESSION_TOKEN: 'token', AWS_ENDPOINT_URL_STS: sts.url }));
    assert.match(r.detail, /the AWS credentials have expired/);
    assert.match(r.fix!, /fresh credentials/);
  } finally {
    await sts.close();
  }
});

t('X-Ray authenticates every call as the service does: unknown key, wrong secret, expired token', async ({ clouds }) => {
  let r = await runCheck(xrayGroup, clouds.settings({ AWS_ACCESS_KEY_ID: 'AKIADELETEDKEY000000' }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /AWS does not recognise AWS_ACCESS_KEY_ID/);
  r = await runCheck(xrayGroup, clouds.settings({ AWS_SECRET_ACCESS_KEY: 'a-wrong-secret-0000000000000000000000000' }));
  assert.match(r.detail, /AWS_SECRET_ACCESS_KEY does not match the key id/);
  const xray = await startXrayFake({ expired: { ASIAEXPIRED000000000: AWS.AWS_SECRET_ACCESS_KEY } });
  try {
    r = await runCheck(xrayGroup, clouds.settings({ AWS_ACCESS_KEY_ID: 'ASIAEXPIRED000000000', AWS_SESSION_TOKEN: 'token', AWS_ENDPOINT_URL_XRAY: xray.url }));
    assert.match(r.detail, /the AWS credentials have expired/);
  } finally {
    await xray.close();
  }
});

t('a 429 with no error type (what the SDK calls UnknownError) is named as throttling too', async ({ clouds }) => {
  const { listen } = await import('../../../../testkit/http.ts');
  const bare = await listen((_req, res) => res.writeHead(429, { 'content-type': 'application/json' }).end('{}'));
  try {
    const r = await runCheck(xrayGroup, clouds.settings({ AWS_ENDPOINT_URL_XRAY: bare.url }));
    assert.match(r.detail, /AWS is throttling xray:GetGroup/);
    assert.not.match(r.detail, /Unknown/);
  } finally {
    await bare.close();
  }
});

t('an X-Ray that throttles (ThrottledException, 429) is named as throttling, with what to do', async ({ clouds }) => {
  clouds.xray.throttle('GetGroup');
  try {
    const r = await runCheck(xrayGroup, clouds.settings());
    assert.is(r.status, 'fail');
    assert.match(r.detail, /AWS is throttling xray:GetGroup/);
    assert.match(r.fix!, /wait a minute and run again/);
    assert.not.match(r.detail + r.fix, /ThrottledException|npm run doctor for the details/);
  } finally {
    clouds.xray.throttle();
  }
});

t('aws.region: the region the collector gets, from wherever it is set, and a name that is no region fails', async () => {
  let r = await runCheck(awsRegion, loadSettings({}, {}));
  assert.is(r.status, 'warn');
  assert.match(r.detail, /the collector exports to us-east-1, compose's default/);
  r = await runCheck(awsRegion, loadSettings({ AWS_REGION: 'us-east-1a' }, {}));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /AWS_REGION="us-east-1a" is not a region name/);
  r = await runCheck(awsRegion, loadSettings({ AWS_DEFAULT_REGION: 'eu-west-2' }, {}));
  assert.is(r.status, 'pass');
  assert.match(r.detail, /eu-west-2 \(AWS_DEFAULT_REGION from environment, as the collector gets it\)/);
  r = await runCheck(awsRegion, loadSettings({ AWS_DEFAULT_REGION: 'eu-west-2' }, { AWS_REGION: 'ap-south-1' }));
  assert.match(r.detail, /ap-south-1 \(AWS_REGION from \.env, as the collector gets it; AWS_DEFAULT_REGION=eu-west-2 is ignored, by the collector too\)/);
});

t('the doctor checks the region docker compose gives the collector, wherever the user put it', async () => {
  const { execFileSync } = await import('node:child_process');
  const { REPO_ROOT } = await import('../../../lib/workspace/settings.ts');
  const cases: [Record<string, string>, Record<string, string>][] = [
    [{}, {}],
    [{ AWS_DEFAULT_REGION: 'eu-west-2' }, {}],
    [{}, { AWS_DEFAULT_REGION: 'eu-west-2' }],
    [{ AWS_DEFAULT_REGION: 'eu-west-2' }, { AWS_REGION: 'ap-south-1' }],
    [{ AWS_REGION: 'us-west-2' }, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-2' }],
    [{ AWS_REGION: '' }, { AWS_DEFAULT_REGION: 'eu-west-2' }],
  ];
  for (const [shell, dotenv] of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'region-'));
    writeFileSync(join(dir, '.env'), Object.entries(dotenv).map(([k, v]) => `${k}=${v}`).join('\n'));
    // Compose itself resolves docker-compose.yml with this shell and this .env.
    const out = execFileSync('docker', ['compose', '--env-file', join(dir, '.env'), '-f', join(REPO_ROOT, 'docker-compose.yml'), 'config', '--format', 'json'], { env: { PATH: process.env.PATH, ...shell }, encoding: 'utf8' });
    const collector = JSON.parse(out).services['otel-collector'].environment.AWS_REGION;
    assert.is(loadSettings(shell, dotenv).awsRegion.value, collector, `shell ${JSON.stringify(shell)}, .env ${JSON.stringify(dotenv)}`);
  }
});

t('aws.xray-group passes when the filter selects the service', async ({ clouds }) => {
  const r = await runCheck(xrayGroup, clouds.settings());
  assert.is(r.status, 'pass');
  assert.is(r.detail, 'group "Cruddur" in us-east-1, filter service("backend-flask")');
  assert.match(r.links!.groups!, /us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#xray:settings\/groups/);
});

t('aws.xray-group fails for a missing group, with the command that creates it', async ({ clouds }) => {
  const r = await runCheck(xrayGroup, clouds.settings({ XRAY_GROUP: 'Missing' }));
  assert.is(r.status, 'fail');
  assert.is(r.detail, 'X-Ray group "Missing" does not exist in us-east-1');
  assert.match(r.fix!, /npm run doctor -- --fix \(or npm run xray:setup\) creates it with the filter service\("backend-flask"\)/);
});

t('aws.xray-group explains the course’s stale workspace-URL filter and shows one that works', async ({ clouds }) => {
  clouds.xray.addGroup('Stale', 'service("4567-omenking-awsbootcampcru-2n1d6e0bd1f.ws-us94.gitpod.io")');
  const r = await runCheck(xrayGroup, clouds.settings({ XRAY_GROUP: 'Stale' }));
  assert.is(r.status, 'fail');
  assert.match(r.detail, /does not select service "backend-flask"\. It names a workspace URL, as the course built it; every new workspace has a new URL, so it goes stale\./);
  assert.match(r.fix!, /aws xray update-group --group-name Stale --filter-expression 'service\("backend-flask"\)'/);
});

t('aws.xray-group: an access denial names the missing IAM action', async ({ clouds }) => {
  clouds.xray.deny('GetGroup');
  const r = await runCheck(xrayGroup, clouds.settings());

  assert.is(r.status, 'fail');
  assert.match(r.detail, /AWS denied xray:GetGroup: the credentials lack xray:GetGroup/);
  assert.match(r.fix!, /grant xray:GetGroup/);
});

t.run();

const traces = suite<{ clouds: Clouds }>('aws.xray-traces');
traces.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
traces.after(async (ctx) => {
  await ctx.clouds.close();
});

traces('warns, with the console link, when the group had no traces in 15 minutes', async ({ clouds }) => {
  const r = await runCheck(xrayRecentTraces, clouds.settings());
  assert.is(r.status, 'warn');
  assert.match(r.detail, /no traces in group "Cruddur" in the last 15 minutes/);
  assert.match(r.links!.traces!, /#xray:traces\/query/);
});

traces('passes with the count when traces selected by the group arrived', async ({ clouds }) => {
  const { PutTraceSegmentsCommand } = await import('@aws-sdk/client-xray');
  const { xrayClient } = await import('../../../lib/aws/clients.ts');
  const now = Date.now() / 1000;
  const doc = (name: string, i: number) =>
    JSON.stringify({ name, id: `${i}`.padStart(16, 'a'), trace_id: `1-${Math.floor(now).toString(16)}-${`${i}`.padStart(24, '0')}`, start_time: now - 1, end_time: now });
  await xrayClient(clouds.settings()).send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [doc('backend-flask', 1), doc('backend-flask', 2), doc('other-service', 3)] }));
  const r = await runCheck(xrayRecentTraces, clouds.settings());
  assert.is(r.status, 'pass');
  assert.is(r.detail, '2 traces in group "Cruddur" in the last 15 minutes');
});

traces.run();

const filters = suite('selectsService');
filters('evaluates the filters students write', () => {
  assert.is(selectsService('service("backend-flask")', 'backend-flask'), true);
  assert.is(selectsService('service("backend-flask") OR service("frontend-react-js")', 'backend-flask'), true);
  assert.is(selectsService('service("frontend-react-js")', 'backend-flask'), false);
  assert.is(selectsService('responsetime > 5', 'backend-flask'), undefined, 'beyond what it evaluates: no verdict');
});
filters.run();

