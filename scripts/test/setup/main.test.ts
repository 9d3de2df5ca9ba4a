import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseEnv } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeCli } from '../../../testkit/fake-cli.ts';
import { underMutation } from '../../../testkit/cli.ts';
import { KEYS, startHoneycombFake } from '../../../testkit/honeycomb.ts';
import { setup } from '../../setup/main.ts';
import { readDotEnv, REPO_ROOT } from '../../lib/workspace/settings.ts';
import { listen } from '../../../testkit/http.ts';
import { AWS, BOOTCAMP, startClouds, TEAM, type Clouds } from '../world.ts';

const t = suite<{ clouds: Clouds }>('npm run setup');
t.before(async (ctx) => {
  ctx.clouds = await startClouds();
});
t.after(async (ctx) => {
  await ctx.clouds.close();
});

/** Runs setup with piped answers (one per line) in a fresh folder; returns what it printed. */
async function run(clouds: Clouds, argv: string[], answers: string[], env: Record<string, string | undefined> = {}, dotenvPath = join(mkdtempSync(join(tmpdir(), 'setup-')), '.env')) {
  const cli = fakeCli({ engine: 'running', containers: [] });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => (printed += d));
  const code = await setup(argv, {
    env: { HOME: '/nonexistent', ...cli.env, HONEYCOMB_API_ENDPOINT: clouds.honeycomb.url, AWS_ENDPOINT_URL_STS: clouds.sts.url, ...env },
    dotenvPath,
    input: Readable.from(answers.map((a) => `${a}\n`)),
    output,
    honeycombOtherRegion: clouds.honeycomb.url,
  });
  return { code, printed, dotenvPath, cli };
}

const secretsIn = (text: string) => [KEYS.ingest, KEYS.config, AWS.AWS_SECRET_ACCESS_KEY].filter((s) => text.includes(s));

t('asks for what is missing, checks each value, and saves .env with mode 0600', async ({ clouds }) => {
  const { code, printed, dotenvPath } = await run(clouds, [], [KEYS.ingest, '', AWS.AWS_ACCESS_KEY_ID, AWS.AWS_SECRET_ACCESS_KEY, '']);
  assert.is(code, 0, printed);
  assert.match(printed, /Honeycomb API key .*\(hidden\): /);
  assert.match(printed, new RegExp(`ingest key hcxik_…#[0-9a-f]{8}: team "${TEAM.name}", environment "${BOOTCAMP.name}"`));
  assert.match(printed, /Honeycomb environment the data must go to \[bootcamp\]/, 'the key’s environment is offered as the default');
  assert.match(printed, /account 123456789012, arn:aws:iam::123456789012:user\/student/);
  const saved = parseEnv(readFileSync(dotenvPath, 'utf8'));
  assert.equal(
    { key: saved.HONEYCOMB_API_KEY, env: saved.HONEYCOMB_ENVIRONMENT, id: saved.AWS_ACCESS_KEY_ID, secret: saved.AWS_SECRET_ACCESS_KEY, region: saved.AWS_REGION },
    { key: KEYS.ingest, env: 'bootcamp', id: AWS.AWS_ACCESS_KEY_ID, secret: AWS.AWS_SECRET_ACCESS_KEY, region: 'us-east-1' },
  );
  assert.is(statSync(dotenvPath).mode & 0o777, 0o600);
  assert.equal(secretsIn(printed), [], 'no secret printed');
});

t('re-running is idempotent: nothing asked, nothing written', async ({ clouds }) => {
  const first = await run(clouds, [], [KEYS.ingest, '', AWS.AWS_ACCESS_KEY_ID, AWS.AWS_SECRET_ACCESS_KEY, '']);
  const before = readFileSync(first.dotenvPath, 'utf8');
  const mtime = statSync(first.dotenvPath).mtimeMs;
  const second = await run(clouds, [], [], {}, first.dotenvPath);
  assert.is(second.code, 0, second.printed);
  assert.not.match(second.printed, /\(hidden\)|\[us-east-1\]/, 'no question asked');
  assert.match(second.printed, /Everything is set/);
  assert.is(readFileSync(first.dotenvPath, 'utf8'), before);
  assert.is(statSync(first.dotenvPath).mtimeMs, mtime);
});

t('a key Honeycomb refuses saves nothing at all from its group', async ({ clouds }) => {
  const bad = `hcxik_${'0'.repeat(58)}`;
  const { code, printed, dotenvPath } = await run(clouds, [], [bad, AWS.AWS_ACCESS_KEY_ID, AWS.AWS_SECRET_ACCESS_KEY, '']);
  assert.is(code, 1);
  assert.match(printed, /Honeycomb does not accept this key/);
  assert.match(printed, /not saved: the Honeycomb values/);
  const saved = parseEnv(readFileSync(dotenvPath, 'utf8'));
  assert.is(saved.HONEYCOMB_API_KEY, undefined);
  assert.is(saved.AWS_ACCESS_KEY_ID, AWS.AWS_ACCESS_KEY_ID, 'the AWS values passed their own check');
  assert.equal(secretsIn(printed), []);
});

t('wrong AWS credentials are not saved, and the reason is given', async ({ clouds }) => {
  const { code, printed, dotenvPath } = await run(clouds, ['--non-interactive'], [], { HONEYCOMB_API_KEY: KEYS.config, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40), AWS_REGION: 'us-east-1' });
  assert.is(code, 1);
  assert.match(printed, /AWS does not recognise AWS_ACCESS_KEY_ID/);
  const saved = parseEnv(readFileSync(dotenvPath, 'utf8'));
  assert.is(saved.AWS_ACCESS_KEY_ID, undefined);
  assert.is(saved.HONEYCOMB_API_KEY, KEYS.config);
});

t('a key for another environment than the one named is refused', async ({ clouds }) => {
  const { code, printed, dotenvPath } = await run(clouds, ['--non-interactive'], [], { HONEYCOMB_API_KEY: KEYS.otherEnv, HONEYCOMB_ENVIRONMENT: 'bootcamp', ...AWS });
  assert.is(code, 1);
  assert.match(printed, /the key writes to environment "test", not "bootcamp"/);
  assert.is(parseEnv(readFileSync(dotenvPath, 'utf8')).HONEYCOMB_API_KEY, undefined);
});

t('a pasted key with a newline or quotes is refused with the reason, and asked again', async ({ clouds }) => {
  const { code, printed, dotenvPath } = await run(clouds, [], [`"${KEYS.config}"`, KEYS.config, '', AWS.AWS_ACCESS_KEY_ID, AWS.AWS_SECRET_ACCESS_KEY, '']);
  assert.is(code, 0, printed);
  assert.match(printed, /that key cannot be used: it is wrapped in quotes/);
  assert.is(parseEnv(readFileSync(dotenvPath, 'utf8')).HONEYCOMB_API_KEY, KEYS.config);
  const nonInteractive = await run(clouds, ['--non-interactive'], [], { HONEYCOMB_API_KEY: `${KEYS.config}\n`, ...AWS });
  assert.is(nonInteractive.code, 1);
  assert.match(nonInteractive.printed, /contains a newline/);
});

t('--non-interactive with nothing set fails naming what is missing', async ({ clouds }) => {
  const { code, printed, dotenvPath } = await run(clouds, ['--non-interactive'], []);
  assert.is(code, 1);
  assert.match(printed, /no HONEYCOMB_API_KEY/);
  assert.match(printed, /no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  assert.not.ok(existsSync(dotenvPath), 'nothing written');
});

t('in Gitpod it saves to .env, which every terminal\'s docker compose reads, and with gp env for new workspaces', async ({ clouds }) => {
  const { code, printed, dotenvPath, cli } = await run(clouds, ['--non-interactive'], [], { GITPOD_WORKSPACE_ID: 'ws-1', GITPOD_WORKSPACE_URL: 'https://ws-1.ws-us1.gitpod.io', HONEYCOMB_API_KEY: KEYS.ingest, ...AWS });
  assert.is(code, 0, printed);
  const state = cli.state();
  // The endpoint was set explicitly (to the local Honeycomb), so it is saved with the rest.
  assert.equal(state.gpEnv, { HONEYCOMB_API_KEY: KEYS.ingest, HONEYCOMB_ENVIRONMENT: 'bootcamp', ...AWS, HONEYCOMB_API_ENDPOINT: clouds.honeycomb.url });
  assert.ok(state.calls!.some((c) => c.join(' ') === `gp env HONEYCOMB_API_KEY=${KEYS.ingest}`));
  assert.equal(readDotEnv(dotenvPath), state.gpEnv);
  assert.is(statSync(dotenvPath).mode & 0o777, 0o600);
  assert.not.match(printed, /open a new terminal/);
  assert.equal(secretsIn(printed), []);
});

t('an EU key is recognised and its endpoint saved', async ({ clouds }) => {
  const eu = await startHoneycombFake({ keys: { [KEYS.eu]: { team: TEAM, environment: BOOTCAMP, type: 'configuration' } } });
  const cli = fakeCli({ engine: 'running', containers: [] });
  try {
    const dotenvPath = join(mkdtempSync(join(tmpdir(), 'setup-')), '.env');
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d) => (printed += d));
    const code = await setup(['--non-interactive'], {
      // The local Honeycomb plays the US region, which refuses an EU key with a 401.
      env: { HOME: '/nonexistent', ...cli.env, HONEYCOMB_API_KEY: KEYS.eu, HONEYCOMB_API_ENDPOINT: clouds.honeycomb.url, AWS_ENDPOINT_URL_STS: clouds.sts.url, ...AWS },
      dotenvPath,
      output,
      honeycombOtherRegion: eu.url,
    });
    assert.is(code, 0, printed);
    assert.is(parseEnv(readFileSync(dotenvPath, 'utf8')).HONEYCOMB_API_ENDPOINT, eu.url);
  } finally {
    await eu.close();
  }
});

t('other lines of an existing .env are kept', async ({ clouds }) => {
  const dir = mkdtempSync(join(tmpdir(), 'setup-'));
  const dotenvPath = join(dir, '.env');
  writeFileSync(dotenvPath, '# my notes\nOTEL_SERVICE_NAME=backend-flask\nCLOUDWATCH_LOGS=true\n');
  const { code } = await run(clouds, ['--non-interactive'], [], { HONEYCOMB_API_KEY: KEYS.config, ...AWS }, dotenvPath);
  assert.is(code, 0);
  const text = readFileSync(dotenvPath, 'utf8');
  assert.match(text, /^# my notes\nOTEL_SERVICE_NAME=backend-flask\nCLOUDWATCH_LOGS=true\nHONEYCOMB_API_KEY=/);
});

t('with the stack running it offers to recreate the collector, and does it', async ({ clouds }) => {
  const cli = fakeCli({ engine: 'running', containers: [{ Name: 'c1', Service: 'otel-collector', State: 'running', Env: [] }] });
  const dotenvPath = join(mkdtempSync(join(tmpdir(), 'setup-')), '.env');
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => (printed += d));
  const code = await setup([], {
    env: { HOME: '/nonexistent', ...cli.env, HONEYCOMB_API_ENDPOINT: clouds.honeycomb.url, AWS_ENDPOINT_URL_STS: clouds.sts.url, HONEYCOMB_API_KEY: KEYS.config, ...AWS },
    dotenvPath,
    input: Readable.from(['', '\n', 'y\n']),
    output,
  });
  assert.is(code, 0, printed);
  assert.match(printed, /The running collector still has the old values\. Recreate it now\? \[Y\/n\]/);
  assert.ok(cli.state().calls!.some((c) => c.join(' ') === 'docker compose up -d --force-recreate otel-collector'));
});

t.run();

const interrupt = suite('npm run setup, interrupted');

/** Starts setup as a person does, sends Ctrl-C once `ready` is printed, and returns how it ended. */
function interrupted(args: string[], env: Record<string, string | undefined>, ready: RegExp, stdin?: string) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['scripts/setup/main.ts', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env, ...underMutation() } });
    let out = '';
    let sent = false;
    const take = (d: Buffer) => {
      out += d;
      if (!sent && ready.test(out)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    if (stdin !== undefined) child.stdin.write(stdin);
    // Should the interrupt fail, the test fails rather than hangs.
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code) => (clearTimeout(guard), resolve({ code, out })));
  });
}

interrupt('Ctrl-C during a network check ends setup at once, exit 130, nothing saved', async () => {
  const hung = await listen(() => {});
  const dotenv = join(REPO_ROOT, '.env');
  const before = existsSync(dotenv) ? readFileSync(dotenv, 'utf8') : undefined;
  try {
    const started = Date.now();
    // Both checks hang: even an interrupt that failed could save nothing into the repository's .env.
    const r = await interrupted(['--non-interactive'], { HONEYCOMB_API_KEY: KEYS.config, HONEYCOMB_API_ENDPOINT: hung.url, ...AWS, AWS_ENDPOINT_URL_STS: hung.url }, /Honeycomb/);
    assert.is(r.code, 130, r.out);
    assert.ok(Date.now() - started < 5000, 'at once, not after the check times out');
    assert.match(r.out, /setup interrupted \(Ctrl-C\): nothing saved/);
    assert.is(existsSync(dotenv) ? readFileSync(dotenv, 'utf8') : undefined, before, '.env untouched');
  } finally {
    await hung.close();
  }
});

interrupt('Ctrl-C at a prompt ends setup with exit 130, not "the input ended"', async () => {
  const r = await interrupted([], {}, /Honeycomb API key/, '');
  assert.is(r.code, 130, r.out);
  assert.not.match(r.out, /the input ended/);
});

interrupt.run();
