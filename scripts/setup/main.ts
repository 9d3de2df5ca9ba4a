// npm run setup: ask for what is missing, check each value, save it where the workspace keeps it.
import { execa } from 'execa';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { callerIdentity, stsClient } from '../lib/aws/clients.ts';
import { isMain, parseCli, UsageError } from '../lib/terminal/cli.ts';
import { DotEnvValueError, dotEnvCarries, updateDotEnv } from '../lib/workspace/dotenv-file.ts';
import { authInOtherRegion, HoneycombApi, HoneycombError, keyInfo, keyShapeProblems, sameEnvironment } from '../lib/honeycomb/api.ts';
import { prompter, type Prompter } from '../lib/terminal/prompt.ts';
import { mask, safeOutput } from '../lib/terminal/secrets.ts';
import { HONEYCOMB_US, loadSettings, readDotEnv, REPO_ROOT, type Settings } from '../lib/workspace/settings.ts';
import { colors } from '../lib/terminal/term.ts';
import { host, secretsAdvice } from '../lib/workspace/host.ts';

export const HELP = `Usage: npm run setup -- [options]

Asks for what is missing (the Honeycomb key and the environment it must belong to, AWS
access key id, secret and region), checks each value against Honeycomb (/1/auth) and AWS
(STS), and saves what passed in .env (mode 0600, ignored by git), which docker compose reads
in every terminal; in Gitpod Classic also with gp env, so new workspaces have it. On Ona and
Codespaces it says where to keep them for the next workspace (their secrets). A value that
fails its check is not saved.

Options:
  --all               ask for every value again, even those already set
  --non-interactive   take the values from the environment; fail naming what is missing
  -h, --help          show this help`;

export interface SetupOptions {
  env?: Record<string, string | undefined>;
  dotenvPath?: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
  /** Where the other Honeycomb region is probed when a key is refused (tests use a fake). */
  honeycombOtherRegion?: string;
}

interface Group {
  ok: boolean;
  values: Record<string, string>;
}

export async function setup(argv: string[], options: SetupOptions = {}): Promise<number> {
  const { values: flags } = parseCli(argv, {
    all: { type: 'boolean', default: false },
    'non-interactive': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const output = options.output ?? process.stdout;
  // Every secret known or typed so far is masked in whatever is printed, a server's echo included.
  const secrets = new Set<string>();
  const say = (line: string) => void output.write(`${safeOutput(line, secrets)}\n`);
  if (flags.help) {
    say(HELP);
    return 0;
  }
  const env = options.env ?? process.env;
  const dotenvPath = options.dotenvPath ?? join(REPO_ROOT, '.env');
  const settings = loadSettings(env, readDotEnv(dotenvPath));
  for (const s of [settings.honeycombKey?.value, settings.env.AWS_SECRET_ACCESS_KEY, settings.env.AWS_SESSION_TOKEN]) if (s) secrets.add(s).add(s.trim());
  const c = colors(Boolean((output as NodeJS.WriteStream).isTTY) && !env.NO_COLOR);
  const interactive = !flags['non-interactive'];
  const asker = interactive ? prompter(options.input ?? process.stdin, output) : undefined;
  const ask: Prompter | undefined = asker && {
    ...asker,
    async ask(question, opts) {
      const answer = await asker.ask(question, opts);
      // Enter on a masked default answers the mask itself, which is no secret: masking it again
      // would show the same key under a second fingerprint.
      if (opts?.secret && answer && answer !== opts.default) secrets.add(answer).add(answer.trim());
      return answer;
    },
  };
  // gp env only where Gitpod Classic's CLI answers: no code path may need gp.
  const gpSaved = host(env) === 'gitpod-classic' ? await readGpEnv(env) : undefined;
  const gitpod = gpSaved !== undefined;

  try {
    const honeycomb = await honeycombGroup(settings, ask, flags.all, say, c, options.honeycombOtherRegion);
    const aws = await awsGroup(settings, ask, flags.all, say, c);
    if (aws.values.AWS_SECRET_ACCESS_KEY) secrets.add(aws.values.AWS_SECRET_ACCESS_KEY);
    // Only what differs from what the workspace keeps: re-running with nothing new writes nothing.
    // .env always: docker compose reads it from whichever terminal runs it, so every terminal
    // starts the same stack. gp env too in Gitpod: a new workspace has no .env (it is ignored by git).
    const passed = { ...(honeycomb.ok ? honeycomb.values : {}), ...(aws.ok ? aws.values : {}) };
    const differing = (saved: Record<string, string>) => Object.fromEntries(Object.entries(passed).filter(([k, v]) => saved[k] !== v));
    const toDotenv = differing(settings.dotenv);
    const toGp = gpSaved ? differing(gpSaved) : {};
    const toSave = { ...toDotenv, ...toGp };
    let changed: string[] = [];
    if (Object.keys(toSave).length) {
      let written = { changed: [] as string[], deduplicated: [] as string[] };
      try {
        if (Object.keys(toDotenv).length) written = updateDotEnv(dotenvPath, toDotenv);
      } catch (err) {
        if (!(err instanceof DotEnvValueError)) throw err;
        say(c.red(`not saved: ${err.message}`));
        return 1;
      }
      changed = [...new Set([...written.changed, ...(Object.keys(toGp).length ? await saveWithGp(toGp, env) : [])])];
      const where = gitpod ? `${dotenvPath} (mode 0600) and gp env (future workspaces)` : `${dotenvPath} (mode 0600)`;
      say(changed.length ? `${c.green('saved')} ${changed.join(', ')} to ${where}` : c.dim(`nothing changed in ${where}`));
      for (const name of written.deduplicated) say(c.yellow(`  ${name} was set on more than one line of .env (the last one won): kept one line with the new value`));
    }
    if (changed.length) await afterSaving(env, ask, say);
    const advice = secretsAdvice(env, Object.keys(passed));
    if (advice && Object.keys(passed).length) say(c.yellow(advice));
    if (!honeycomb.ok || !aws.ok) {
      say(c.red(`not saved: ${[!honeycomb.ok && 'the Honeycomb values', !aws.ok && 'the AWS values'].filter(Boolean).join(' and ')} (their check failed, see above). Run npm run setup again.`));
      return 1;
    }
    if (!changed.length && !Object.keys(toSave).length) say(c.green('Everything is set.') + c.dim(' npm run doctor checks every hop; npm run setup -- --all asks again.'));
    return 0;
  } finally {
    ask?.close();
  }
}

type Say = (line: string) => void;
type Colors = ReturnType<typeof colors>;

/** A value from the environment, or asked for when missing (or always, with --all). */
async function value(settings: Settings, name: string, ask: Prompter | undefined, all: boolean, question: string, opts: { secret?: boolean; default?: string } = {}): Promise<string | undefined> {
  const current = settings.env[name];
  if (current && !all) return current;
  if (!ask) return current ?? opts.default;
  const keep = current ? (opts.secret ? mask(current) : current) : opts.default;
  const answer = await ask.ask(question, { secret: opts.secret, default: keep });
  return answer === keep && current ? current : answer;
}

async function honeycombGroup(settings: Settings, ask: Prompter | undefined, all: boolean, say: Say, c: Colors, otherRegionOverride?: string): Promise<Group> {
  say(c.bold('Honeycomb'));
  let key = await value(settings, 'HONEYCOMB_API_KEY', ask, all, 'Honeycomb API key (an ingest key from Environment settings > API keys)', { secret: true });
  for (let attempt = 0; ; attempt++) {
    if (!key) {
      say(c.red('  no HONEYCOMB_API_KEY: set it in the environment, or run npm run setup without --non-interactive'));
      return { ok: false, values: {} };
    }
    const problems = keyShapeProblems(key);
    const info = keyInfo(key.trim());
    const refusal = problems.length ? problems.join('; ') : !info.canSend ? `it is a ${info.label}: ${info.note}` : undefined;
    if (!refusal) break;
    say(c.red(`  that key cannot be used: ${refusal}`));
    if (!ask || attempt === 2) return { ok: false, values: {} };
    key = await ask.ask('Honeycomb API key, value only', { secret: true });
  }
  let endpoint = settings.honeycombEndpoint.value;
  let auth;
  try {
    auth = await new HoneycombApi(endpoint, key).auth();
  } catch (err) {
    const e = err as HoneycombError;
    const other = e.status === 401 ? await authInOtherRegion(endpoint, key, otherRegionOverride) : undefined;
    if (other) {
      ({ endpoint, auth } = other);
      say(`  the key belongs to the other region: HONEYCOMB_API_ENDPOINT=${endpoint}`);
    } else {
      say(c.red(`  ${e.fault?.cause ?? e.message}. ${e.fault?.fix ?? ''}`));
      return { ok: false, values: {} };
    }
  }
  say(`  ${c.green('✔')} ${keyInfo(key).label} ${mask(key)}: team "${auth.team.name}", environment "${auth.environment.name}"`);
  const expected = await value(settings, 'HONEYCOMB_ENVIRONMENT', ask, all, 'Honeycomb environment the data must go to', { default: auth.environment.name });
  if (expected && !sameEnvironment(expected, auth.environment)) {
    say(c.red(`  the key writes to environment "${auth.environment.name}", not "${expected}": create a key in "${expected}" and run npm run setup again`));
    return { ok: false, values: {} };
  }
  const values: Record<string, string> = { HONEYCOMB_API_KEY: key };
  if (expected) {
    // Honeycomb takes any environment name; one .env cannot carry (a quote) is saved as its
    // slug, which names the same environment for every check.
    const carried = dotEnvCarries(expected);
    if (!carried) say(c.dim(`  saving the environment as its slug "${auth.environment.slug}": .env cannot carry the name "${expected}"`));
    values.HONEYCOMB_ENVIRONMENT = carried ? expected : auth.environment.slug;
  }
  if (endpoint !== HONEYCOMB_US || settings.honeycombEndpoint.source !== 'default') values.HONEYCOMB_API_ENDPOINT = endpoint;
  return { ok: true, values };
}

async function awsGroup(settings: Settings, ask: Prompter | undefined, all: boolean, say: Say, c: Colors): Promise<Group> {
  say(c.bold('AWS'));
  const usesProfile = !settings.env.AWS_ACCESS_KEY_ID && settings.awsCredentials && !all;
  const values: Record<string, string> = {};
  if (!usesProfile) {
    const id = await value(settings, 'AWS_ACCESS_KEY_ID', ask, all, 'AWS access key id (IAM > Users > Security credentials)');
    const secret = await value(settings, 'AWS_SECRET_ACCESS_KEY', ask, all, 'AWS secret access key', { secret: true });
    if (!id || !secret) {
      say(c.red('  no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set them in the environment, or run npm run setup without --non-interactive'));
      return { ok: false, values: {} };
    }
    values.AWS_ACCESS_KEY_ID = id.trim();
    values.AWS_SECRET_ACCESS_KEY = secret.trim();
  }
  const region = await value(settings, 'AWS_REGION', ask, all, 'AWS region', { default: settings.awsRegion.value });
  values.AWS_REGION = region!.trim();
  const checked = loadSettings({ ...settings.env, ...values }, {});
  const who = await callerIdentity(checked);
  if (!who.ok) {
    say(c.red(`  ${who.fault.cause}. ${who.fault.fix}`));
    return { ok: false, values: {} };
  }
  if (usesProfile) {
    // docker compose hands the collector only the environment and .env (docker-compose.yml names
    // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; no ~/.aws is mounted): a
    // profile's keys reach X-Ray only once they are in .env. Long-term keys (aws configure's) are
    // copied; temporary ones (SSO, an assumed role) would expire there, so they are not.
    const creds = await stsClient(checked).config.credentials();
    say(`  ${c.green('✔')} account ${who.value.Account}, ${who.value.Arn} (from your AWS profile or credentials files), region ${values.AWS_REGION}`);
    if (creds.sessionToken) {
      say(c.yellow(`  these are temporary credentials (SSO or an assumed role${creds.expiration ? `, expiring ${creds.expiration.toISOString()}` : ''}): the collector cannot read a profile, so X-Ray gets nothing from the stack. Save an IAM user's access key with  npm run setup -- --all, or for this session: eval "$(aws configure export-credentials --format env)" then npm run setup`));
      return { ok: true, values };
    }
    values.AWS_ACCESS_KEY_ID = creds.accessKeyId;
    values.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
    say(`  the collector reads only the environment and .env, never ~/.aws: copying this key (${mask(creds.accessKeyId)}) into .env`);
    return { ok: true, values };
  }
  say(`  ${c.green('✔')} account ${who.value.Account}, ${who.value.Arn} (key ${mask(values.AWS_ACCESS_KEY_ID!)}), region ${values.AWS_REGION}`);
  return { ok: true, values };
}

/** What gp env holds for this repository (the values new workspaces start with); undefined without gp. */
async function readGpEnv(env: Record<string, string | undefined>): Promise<Record<string, string> | undefined> {
  const out = await execa('gp', ['env'], { env, extendEnv: false, reject: false, timeout: 15_000 });
  if (out.code === 'ENOENT') return undefined;
  if (out.failed) throw new UsageError(`gp env could not be read (${String(out.stderr).split('\n')[0]})`);
  return parseEnv(String(out.stdout)) as Record<string, string>;
}

async function saveWithGp(values: Record<string, string>, env: Record<string, string | undefined>): Promise<string[]> {
  for (const [name, val] of Object.entries(values)) {
    const out = await execa('gp', ['env', `${name}=${val}`], { env, extendEnv: false, reject: false, timeout: 15_000 });
    if (out.failed) throw new UsageError(`gp env could not save ${name} (${out.code === 'ENOENT' ? 'gp is not installed' : String(out.stderr).split('\n')[0]})`);
  }
  return Object.keys(values);
}

/** New values reach a running container only when it is recreated. */
async function afterSaving(env: Record<string, string | undefined>, ask: Prompter | undefined, say: Say): Promise<void> {
  const ps = await execa('docker', ['compose', 'ps', '--format', 'json', '--status', 'running'], { env, extendEnv: false, reject: false, timeout: 10_000 });
  if (ps.failed || !String(ps.stdout).trim()) return;
  const command = 'docker compose up -d --force-recreate otel-collector';
  if (ask && (await ask.confirm('The running collector still has the old values. Recreate it now?'))) {
    const up = await execa('docker', ['compose', 'up', '-d', '--force-recreate', 'otel-collector'], { env, extendEnv: false, reject: false, timeout: 120_000 });
    say(up.failed ? `could not recreate it (${String(up.stderr).split('\n')[0]}): run  ${command}` : 'recreated otel-collector with the new values');
  } else {
    say(`The running collector still has the old values: run  ${command}`);
  }
}

if (isMain(import.meta)) {
  // Ctrl-C ends setup at once, at a prompt or during a check, before anything is saved.
  process.once('SIGINT', () => {
    process.stderr.write('\nsetup interrupted (Ctrl-C): nothing saved\n');
    process.exit(130);
  });
  try {
    process.exitCode = await setup(process.argv.slice(2));
  } catch (err) {
    const c = colors(Boolean(process.stderr.isTTY));
    process.stderr.write(`${c.red(err instanceof UsageError ? err.message : `setup could not run: ${(err as Error).message}`)}\n`);
    process.exitCode = 1;
  }
}
