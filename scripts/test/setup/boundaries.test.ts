// Setup at each boundary: the third refused key and no fourth question, keys that may not send,
// both groups failing, credentials from a profile, gp env unreadable, the collector's recreate
// declined or failing, values pasted with spaces, --all keeping what is typed as the default,
// and where each host keeps secrets for the next workspace.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseEnv } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeCli, type FakeCliState } from '../../../testkit/fake-cli.ts';
import { KEYS, startHoneycombFake } from '../../../testkit/honeycomb.ts';
import { HELP, setup } from '../../setup/main.ts';
import { mask } from '../../lib/terminal/secrets.ts';
import { AWS, startClouds, TEAM, type Clouds } from '../world.ts';
import { withAwsProfile } from '../../../testkit/aws/profile.ts';
import { startStsFake } from '../../../testkit/aws/sts.ts';

const t = suite<{ clouds: Clouds }>('npm run setup at its boundaries');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(({ clouds }) => clouds.close());

async function run(clouds: Clouds, argv: string[], answers: string[] | undefined, env: Record<string, string | undefined> = {}, cliState: FakeCliState = { engine: 'running', containers: [] }, dotenvBefore?: string) {
  const cli = fakeCli(cliState);
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => (printed += d));
  const dotenvPath = join(mkdtempSync(join(tmpdir(), 'setup-b-')), '.env');
  if (dotenvBefore !== undefined) writeFileSync(dotenvPath, dotenvBefore);
  const code = await setup(argv, {
    env: { HOME: '/nonexistent', ...cli.env, HONEYCOMB_API_ENDPOINT: clouds.honeycomb.url, AWS_ENDPOINT_URL_STS: clouds.sts.url, ...env },
    dotenvPath,
    input: Readable.from((answers ?? []).map((a) => `${a}\n`)),
    output,
    honeycombOtherRegion: clouds.honeycomb.url,
  });
  const saved = (): Record<string, string | undefined> => {
    try {
      return parseEnv(readFileSync(dotenvPath, 'utf8'));
    } catch {
      return {};
    }
  };
  return { code, printed, saved, cli };
}

const COLLECTOR_RUNNING: FakeCliState = { engine: 'running', containers: [{ Name: 'c1', Service: 'otel-collector', State: 'running', Env: [] }] };

t('--help prints the usage and saves nothing', async ({ clouds }) => {
  const { code, printed, saved } = await run(clouds, ['--help'], []);
  assert.is(code, 0);
  assert.is(printed, `${HELP}\n`);
  assert.match(printed, /^Usage: npm run setup -- \[options\]\n\nAsks for what is missing/);
  assert.equal(saved(), {});
});

t('a key refused three times: no fourth question, and nothing of its group saved', async ({ clouds }) => {
  const quoted = `"${KEYS.config}"`;
  const { code, printed, saved } = await run(clouds, [], [quoted, quoted, quoted, AWS.AWS_ACCESS_KEY_ID, AWS.AWS_SECRET_ACCESS_KEY, '']);
  assert.is(code, 1);
  assert.is(printed.match(/that key cannot be used: it is wrapped in quotes/g)?.length, 3);
  assert.is(printed.match(/Honeycomb API key, value only/g)?.length, 2, 'asked again twice after the first');
  assert.is(saved().HONEYCOMB_API_KEY, undefined);
  assert.match(printed, /not saved: the Honeycomb values \(their check failed, see above\)\. Run npm run setup again\./);
});

t('a management key cannot send: refused with what to create instead', async ({ clouds }) => {
  const { code, printed } = await run(clouds, ['--non-interactive'], undefined, { HONEYCOMB_API_KEY: `hcamk_${'a'.repeat(40)}`, ...AWS });
  assert.is(code, 1);
  assert.match(printed, /that key cannot be used: it is a management key: a management key manages teams and keys; it cannot send telemetry\. Create an ingest key for the environment instead/);
});

t('both groups failing: one line names both, exit 1, no .env', async ({ clouds }) => {
  const { code, printed, saved } = await run(clouds, ['--non-interactive'], undefined, { HONEYCOMB_API_KEY: `hcxik_${'0'.repeat(58)}`, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) });
  assert.is(code, 1);
  assert.match(printed, /not saved: the Honeycomb values and the AWS values \(their check failed, see above\)\. Run npm run setup again\.\n$/);
  assert.equal(saved(), {});
});

t('values pasted with spaces around them are saved trimmed, and the region checked is the one saved', async ({ clouds }) => {
  const { code, printed, saved } = await run(clouds, ['--non-interactive'], undefined, { HONEYCOMB_API_KEY: KEYS.config, AWS_ACCESS_KEY_ID: ` ${AWS.AWS_ACCESS_KEY_ID} `, AWS_SECRET_ACCESS_KEY: `${AWS.AWS_SECRET_ACCESS_KEY}  `, AWS_REGION: ' us-east-1 ' });
  assert.is(code, 0, printed);
  assert.equal([saved().AWS_ACCESS_KEY_ID, saved().AWS_SECRET_ACCESS_KEY, saved().AWS_REGION], [AWS.AWS_ACCESS_KEY_ID, AWS.AWS_SECRET_ACCESS_KEY, 'us-east-1']);
  assert.match(printed, /✔ account 123456789012, arn:aws:iam::123456789012:user\/student \(key AKIAS…#[0-9a-f]{8}\), region us-east-1\n/);
});

t('--all asks again; Enter keeps each current value (shown masked for secrets), and nothing changes', async ({ clouds }) => {
  const env = { HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_ENVIRONMENT: 'bootcamp', ...AWS, AWS_REGION: 'us-east-1' };
  const first = await run(clouds, ['--non-interactive'], undefined, env);
  assert.is(first.code, 0, first.printed);
  const { code, printed } = await run(clouds, ['--all'], ['', '', '', '', ''], env);
  assert.is(code, 0, printed);
  assert.match(printed, /Honeycomb API key \(an ingest key from Environment settings > API keys\) \[hcxlk_…#[0-9a-f]{8}\]/);
  assert.match(printed, /AWS secret access key \[[A-Za-z0-9/+]{1,6}…#[0-9a-f]{8}\] \(hidden\)/);
  // The key kept is shown under one fingerprint, in the question and in its check.
  const shown = /API keys\) \[(hcxlk_…#[0-9a-f]{8})\]/.exec(printed)![1]!;
  assert.match(printed, new RegExp(`✔ configuration key ${shown}: team`));
  assert.match(printed, /AWS access key id \(IAM > Users > Security credentials\) \[AKIASTUDENTTEST00001\]/, 'a key id is no secret');
  assert.match(printed, /AWS region \[us-east-1\]/);
  assert.not.ok(printed.includes(KEYS.config) || printed.includes(AWS.AWS_SECRET_ACCESS_KEY), 'no secret in the prompts');
});

t('credentials from a profile (aws configure): no key asked; the key copied into .env, where the collector reads it, and said so', async ({ clouds }) => {
  await withAwsProfile(async (file) => {
    const { code, printed, saved } = await run(clouds, ['--non-interactive'], undefined, { HONEYCOMB_API_KEY: KEYS.config, AWS_SHARED_CREDENTIALS_FILE: file, AWS_REGION: 'us-east-1' });
    assert.is(code, 0, printed);
    assert.match(printed, /account 123456789012, arn:aws:iam::123456789012:user\/student \(from your AWS profile or credentials files\), region us-east-1/);
    assert.match(printed, new RegExp(`the collector reads only the environment and \\.env, never ~/\\.aws: copying this key \\(${mask(AWS.AWS_ACCESS_KEY_ID).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) into \\.env`));
    assert.equal([saved().AWS_ACCESS_KEY_ID, saved().AWS_SECRET_ACCESS_KEY, saved().AWS_REGION], [AWS.AWS_ACCESS_KEY_ID, AWS.AWS_SECRET_ACCESS_KEY, 'us-east-1']);
    assert.not.match(printed, new RegExp(AWS.AWS_SECRET_ACCESS_KEY), 'the secret is never printed');
  });
});

t('temporary credentials from a profile (SSO, an assumed role): checked, not copied into .env where they would expire, and said when', async ({ clouds }) => {
  // What `credential_process` hands the SDK for SSO or a role (AWS CLI User Guide, "Sourcing
  // credentials with an external process"): a key id, secret, session token and expiry.
  const temporary = { AccessKeyId: 'ASIASTUDENTTEMP00001', SecretAccessKey: 'temporary-secret-000000000000000000000000', SessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN', Expiration: new Date(Date.now() + 3600_000).toISOString() };
  const sts = await startStsFake({ identities: { [temporary.AccessKeyId]: { Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/student/session', UserId: 'AROASTUDENT:session', Secret: temporary.SecretAccessKey, SessionToken: temporary.SessionToken } } });
  const dir = mkdtempSync(join(tmpdir(), 'aws-sso-'));
  writeFileSync(join(dir, 'process.json'), JSON.stringify({ Version: 1, ...temporary }));
  writeFileSync(join(dir, 'config'), `[default]\ncredential_process = cat ${join(dir, 'process.json')}\n`);
  const before = { AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE };
  Object.assign(process.env, { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') });
  try {
    const { code, printed, saved } = await run(clouds, ['--non-interactive'], undefined, { HONEYCOMB_API_KEY: KEYS.config, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_STS: sts.url, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, PATH: process.env.PATH });
    assert.is(code, 0, printed);
    assert.match(printed, /\n  ✔ account 123456789012, arn:aws:sts::123456789012:assumed-role\/student\/session \(from your AWS profile or credentials files\), region us-east-1\n/);
    assert.ok(printed.includes(`  these are temporary credentials (SSO or an assumed role, expiring ${temporary.Expiration}): the collector cannot read a profile, so X-Ray gets nothing from the stack.`), printed);
    assert.equal([saved().AWS_ACCESS_KEY_ID, saved().AWS_SECRET_ACCESS_KEY, saved().AWS_SESSION_TOKEN, saved().AWS_REGION], [undefined, undefined, undefined, 'us-east-1']);
    assert.ok(![temporary.SecretAccessKey, temporary.SessionToken].some((v) => printed.includes(v)), 'no secret printed');
  } finally {
    for (const [k, v] of Object.entries(before)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    await sts.close();
  }
});

t('a name set on two lines of .env (the last one won): the new value kept on one line, and said', async ({ clouds }) => {
  const { code, printed, saved } = await run(clouds, ['--non-interactive'], undefined, { HONEYCOMB_API_KEY: KEYS.config, ...AWS }, undefined, `HONEYCOMB_API_KEY=${KEYS.ingest}\n# a comment kept\nHONEYCOMB_API_KEY=${KEYS.otherEnv}\n`);
  assert.is(code, 0, printed);
  assert.ok(printed.includes('  HONEYCOMB_API_KEY was set on more than one line of .env (the last one won): kept one line with the new value\n'), printed);
  assert.is(saved().HONEYCOMB_API_KEY, KEYS.config);
});

t('an environment whose name .env cannot carry (Honeycomb takes any name, a quote too): saved as its slug, and said', async ({ clouds }) => {
  const honeycomb = await startHoneycombFake({ keys: { [KEYS.config]: { team: TEAM, environment: { name: "Sam's bootcamp", slug: 'sams-bootcamp' }, type: 'configuration' } } });
  try {
    const { code, printed, saved } = await run(clouds, ['--non-interactive'], undefined, { HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: honeycomb.url, HONEYCOMB_ENVIRONMENT: "Sam's bootcamp", ...AWS });
    assert.is(code, 0, printed);
    assert.ok(printed.includes(`  saving the environment as its slug "sams-bootcamp": .env cannot carry the name "Sam's bootcamp"\n`), printed);
    assert.is(saved().HONEYCOMB_ENVIRONMENT, 'sams-bootcamp');
  } finally {
    await honeycomb.close();
  }
});

t('in Gitpod Classic a gp that cannot be read stops setup before anything is saved, in its own words', async ({ clouds }) => {
  const gitpod = { GITPOD_WORKSPACE_ID: 'ws-1', GITPOD_WORKSPACE_URL: 'https://ws-1.ws-us1.gitpod.io' };
  try {
    await run(clouds, ['--non-interactive'], undefined, { ...gitpod, HONEYCOMB_API_KEY: KEYS.config, ...AWS }, { gpFails: 'gp: not authorized\nmore' });
    assert.unreachable('setup went on without gp env');
  } catch (err) {
    assert.is((err as Error).message, 'gp env could not be read (gp: not authorized)');
  }
});

t('a running collector: declined, or non-interactive, it says the command; a failed recreate says why and the command', async ({ clouds }) => {
  const env = { HONEYCOMB_API_KEY: KEYS.config, ...AWS };
  const declined = await run(clouds, [], ['', 'n'], env, COLLECTOR_RUNNING);
  assert.is(declined.code, 0, declined.printed);
  assert.match(declined.printed, /The running collector still has the old values: run  docker compose up -d --force-recreate otel-collector/);
  assert.not.ok(declined.cli.state().calls!.some((c) => c.includes('up')), 'not recreated');
  const batch = await run(clouds, ['--non-interactive'], undefined, env, COLLECTOR_RUNNING);
  assert.match(batch.printed, /The running collector still has the old values: run  docker compose up -d --force-recreate otel-collector/);
  const failing = await run(clouds, [], ['', 'y'], env, { ...COLLECTOR_RUNNING, upFails: 'Error response from daemon: port is already allocated\nmore' });
  assert.match(failing.printed, /could not recreate it \(Error response from daemon: port is already allocated\): run  docker compose up -d --force-recreate otel-collector/);
  // No stack running, or no engine: nothing to offer.
  for (const state of [{ engine: 'running' as const, containers: [] }, { engine: 'stopped' as const }]) {
    const quiet = await run(clouds, ['--non-interactive'], undefined, env, state);
    assert.not.match(quiet.printed, /running collector/);
  }
});

t('Codespaces and Ona: after saving, it says where the values outlive the workspace', async ({ clouds }) => {
  const env = { HONEYCOMB_API_KEY: KEYS.config, ...AWS };
  const cs = await run(clouds, ['--non-interactive'], undefined, { ...env, CODESPACES: 'true', CODESPACE_NAME: 'x', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' });
  assert.match(cs.printed, /\.env lasts only as long as this codespace: for new ones, add HONEYCOMB_API_KEY, HONEYCOMB_ENVIRONMENT, HONEYCOMB_API_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION as Codespaces secrets/);
  const ona = await run(clouds, ['--non-interactive'], undefined, { ...env, GITPOD_ENVIRONMENT_ID: 'env-1' });
  assert.match(ona.printed, /\.env lasts only as long as this Ona environment/);
  const laptop = await run(clouds, ['--non-interactive'], undefined, env);
  assert.not.match(laptop.printed, /lasts only as long/);
  assert.match(laptop.printed, /saved HONEYCOMB_API_KEY, HONEYCOMB_ENVIRONMENT, HONEYCOMB_API_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION to .*\.env \(mode 0600\)\n/);
});

t.run();
