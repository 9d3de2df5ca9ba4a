// npm run smoke's command in one process (smoke() from scripts/smoke/main.ts), in seconds: its
// options at their edges, which mode each configuration runs, the report and the lines it ends
// with. The cloud fakes answer the direct hops; a loopback server takes spans where the collector
// would be and delivers none. cli.test.ts runs the same command as a process, end to end.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listen, type Running } from '../../../testkit/http.ts';
import { AWS, NO_BROWSER, startClouds, type Clouds } from '../../../testkit/clouds.ts';
import { KEYS } from '../../../testkit/honeycomb.ts';
import { UsageError } from '../../lib/terminal/cli.ts';
import { silentTerm } from '../../lib/terminal/term.ts';
import { HELP, smoke, type SmokeReport } from '../../smoke/main.ts';

interface Ctx {
  clouds: Clouds;
  collector: Running;
}

/** smoke() with its printed lines and, with --json, what it wrote to stdout. */
async function run(argv: string[], env: Record<string, string | undefined>) {
  const term = silentTerm();
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    const result = await smoke(argv, { env, term, overrides: { pollMs: 20, minuteMs: 100 } });
    return { ...result, lines: term.lines, stdout: written.join('') };
  } finally {
    process.stdout.write = write;
  }
}
const usage = async (argv: string[]) => {
  try {
    await run(argv, { HOME: '/nonexistent' });
  } catch (err) {
    assert.instance(err, UsageError, String(err));
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

const t = suite<Ctx>('npm run smoke’s command, in one process');
t.before(async (ctx) => {
  ctx.clouds = await startClouds({ minuteMs: 100 });
  // Takes what it is sent, as a collector does, and delivers nothing anywhere.
  ctx.collector = await listen((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
});
t.after(async ({ clouds, collector }) => {
  await Promise.all([clouds?.close(), collector?.close()]);
});

const home = () => mkdtempSync(join(tmpdir(), 'cruddur-smoke-main-'));
/** The fakes' configuration; nothing from the developer's shell. */
const cloudEnv = (ctx: Ctx, extra: Record<string, string | undefined> = {}) => {
  const env = ctx.clouds.env({ OTEL_COLLECTOR_URL: ctx.collector.url, BACKEND_URL: ctx.collector.url, HOME: home(), ...extra });
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
};

t('--help: the usage on stdout, every hop named, exit 0 and no report', async () => {
  const r = await run(['--help'], { HOME: '/nonexistent' });
  assert.equal({ code: r.code, report: r.report }, { code: 0, report: undefined });
  assert.is(r.stdout, `${HELP}\n`);
  assert.match(HELP, /--hops LIST {7}honeycomb,xray,collector,backend,logs,metrics,browser {3}\(default: every hop that is configured;/);
});

t('--timeout from 1 to 600 seconds, both ends taken; a hair outside or not a number, refused with what was given', async () => {
  // Both taken: the next check (--local with --hops) is the one that speaks.
  for (const seconds of ['1', '600']) assert.is(await usage(['--timeout', seconds, '--local', '--hops', 'backend']), '--local and --hops exclude each other: --local runs the backend against a local sink');
  for (const seconds of ['0.99', '600.5', '0', 'soon', 'Infinity']) assert.is(await usage(['--timeout', seconds]), `--timeout takes a number of seconds from 1 to 600; got "${seconds}"`);
});

t('a key alone, or AWS credentials alone, is configured: the remote hops run, from the environment the caller gave', async (ctx) => {
  const keyOnly = await run(['--json', '--timeout', '1'], cloudEnv(ctx, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
  const report = JSON.parse(keyOnly.stdout) as SmokeReport;
  assert.is(report.mode, 'remote');
  assert.ok(report.hops.some((h) => h.hop === 'honeycomb'), JSON.stringify(report.hops.map((h) => h.hop)));
  assert.not.ok(report.hops.some((h) => h.hop === 'xray'), 'no X-Ray hop without credentials');
  const awsOnly = await run(['--json', '--timeout', '1'], cloudEnv(ctx, { HONEYCOMB_API_KEY: undefined }));
  const aws = JSON.parse(awsOnly.stdout) as SmokeReport;
  assert.is(aws.mode, 'remote');
  assert.ok(aws.hops.some((h) => h.hop === 'xray'));
  assert.is(aws.settings.AWS_REGION?.value, AWS.AWS_REGION);
});

t('every hop confirmed: ok, no errors, exit 0, and the last line says so, after a blank one; nothing about the local default', async (ctx) => {
  const r = await run(['--hops', 'honeycomb,xray', '--timeout', '20'], cloudEnv(ctx, { HONEYCOMB_API_KEY: KEYS.config }));
  assert.is(r.code, 0, r.lines.join('\n'));
  assert.equal([r.report!.ok, r.report!.mode, r.report!.errors], [true, 'remote', []]);
  assert.equal(r.lines.slice(-2), ['', '✔ every hop confirmed']);
  assert.not.ok(r.lines.some((l) => /local default|^Next:/.test(l)), r.lines.join('\n'));
  assert.is(r.stdout, '', 'without --json, nothing on stdout but through the terminal');
});

t('one hop not confirmed among confirmed ones: not ok, its error listed by name, exit 1, and the last line says see the hops', async (ctx) => {
  const r = await run(['--hops', 'honeycomb,collector', '--timeout', '2'], cloudEnv(ctx, { HONEYCOMB_API_KEY: KEYS.config }));
  assert.is(r.code, 1);
  assert.equal(r.report!.hops.map((h) => [h.hop, h.confirmed]), [['honeycomb', true], ['collector', false]]);
  assert.is(r.report!.ok, false);
  assert.equal(r.report!.errors.length, 1);
  assert.match(r.report!.errors[0]!, /^collector: Timed out after 2s waiting for: the smoke trace in Honeycomb dataset backend-flask/, r.report!.errors[0]);
  assert.equal(r.lines.slice(-2), ['', '✘ smoke failed: see the hops above']);
});

t('no account: the local default, saying why it chose it; the browser half said as not walked and why; the next step once it works. --local chooses it without the why', async () => {
  const r = await run([], { HOME: home(), PATH: process.env.PATH, CHROMIUM_PATH: NO_BROWSER });
  assert.is(r.code, 0, r.lines.join('\n'));
  assert.is(r.report!.mode, 'local');
  assert.is(r.lines[0], 'No HONEYCOMB_API_KEY and no AWS credentials: running the local default (--help for the hops).');
  assert.ok(r.lines.includes(`browser: not walked: no browser here (CHROMIUM_PATH=${NO_BROWSER} does not exist): sudo apt-get install -y chromium (Ubuntu: chromium-browser), or set CHROMIUM_PATH to a Chrome or Chromium`), r.lines.join('\n'));
  assert.equal(r.lines.slice(-3), ['', '✔ the local pipeline works', 'Next: set HONEYCOMB_API_KEY (npm run setup) and run npm run smoke again to prove the real hops.']);
  assert.equal(r.report!.hops.map((h) => h.hop), ['local']);
  const chosen = await run(['--local'], { HOME: home(), PATH: process.env.PATH, CHROMIUM_PATH: NO_BROWSER, HONEYCOMB_API_KEY: KEYS.config });
  assert.is(chosen.report!.mode, 'local');
  assert.not.ok(chosen.lines.some((l) => l.startsWith('No HONEYCOMB_API_KEY')), chosen.lines.join('\n'));
});

t.run();
