// A workspace start as each host runs it, with that host's variables: the stack up (a fake
// docker answers compose), then the verdict against a real pipeline on loopback (the backend,
// the real collector, the Vite dev server proxying /api and /v1/traces as compose runs it),
// written to the verdict file, shown by the terminal banner, and timed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseEnv } from 'node:util';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackend, type Backend } from '../../testkit/backend.ts';
import { startCollector, type Collector } from '../../testkit/collector.ts';
import { fakeCli } from '../../testkit/fake-cli.ts';
import { startDevServer } from '../../testkit/frontend.ts';
import { listen } from '../../testkit/http.ts';
import { KEYS } from '../../testkit/honeycomb.ts';
import { NO_BROWSER } from '../../testkit/clouds.ts';
import { REPO_ROOT } from '../lib/workspace/settings.ts';
import { NO_KEY, workspaceStart, type StartOptions } from '../workspace-start.ts';
import { startWorld, type World } from './world.ts';

interface Ctx {
  /** The collector's local files (CRUDDUR_LOCAL_FILES=on), where the start's journey looks. */
  telemetry: string;
  collector: Collector;
  backend: Backend;
  front: { url: string; stop(): Promise<void> };
}

/** A checkout whose node_modules is current, and nothing else of the developer's. */
function checkout(git = false): string {
  const root = mkdtempSync(join(tmpdir(), 'cruddur-start-'));
  // npm's marker alone, newer than the lockfile: never the repository's node_modules, which a
  // real npm ci run here by mistake would empty.
  copyFileSync(join(REPO_ROOT, 'package-lock.json'), join(root, 'package-lock.json'));
  mkdirSync(join(root, 'node_modules'));
  writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
  utimesSync(join(root, 'package-lock.json'), new Date(0), new Date(0));
  if (git) {
    const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, stdio: 'ignore' });
    g('init', '-q');
    g('add', 'package-lock.json');
    g('commit', '-qm', 'a commit');
  }
  return root;
}

async function start(env: Record<string, string>, opts: Partial<StartOptions> & { git?: boolean } = {}) {
  const root = checkout(opts.git);
  const home = mkdtempSync(join(tmpdir(), 'cruddur-home-'));
  const dir = join(root, '.cruddur', 'start');
  const said: string[] = [];
  const result = await workspaceStart({ env: { ...env, HOME: home }, root, dir, say: (l) => said.push(l), ports: [], ...opts });
  const verdictTxt = existsSync(join(dir, 'verdict.txt')) ? readFileSync(join(dir, 'verdict.txt'), 'utf8') : '';
  return { ...result, said: said.join('\n'), verdictTxt, home, dir, root };
}

const t = suite<Ctx>('a workspace start, host by host, ending in a verdict');
t.before(async (ctx) => {
  ctx.telemetry = mkdtempSync(join(tmpdir(), 'cruddur-start-telemetry-'));
  ctx.collector = await startCollector({ localFiles: ctx.telemetry });
  ctx.backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.collector.url } });
  ctx.front = await startDevServer({ API_PROXY_TARGET: ctx.backend.url, OTEL_PROXY_TARGET: ctx.collector.url });
});
t.after(async (ctx) => {
  await ctx.front?.stop();
  await ctx.backend?.stop();
  await ctx.collector?.close();
});

// No browser unless a test gives one: the journey has a test of its own below.
const stackEnv = (ctx: Ctx) => ({ FRONTEND_SERVER_URL: ctx.front.url, OTEL_COLLECTOR_METRICS_URL: ctx.collector.metricsUrl, CHROMIUM_PATH: NO_BROWSER });

t('Codespaces, no key: the stack up with --wait, the local pipeline proven hop by hop, the command that adds the key, timed, kept and shown', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const r = await start({ ...cli.env, ...stackEnv(ctx), CODESPACES: 'true', CODESPACE_NAME: 'cruddur-x', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' });
  assert.is(r.code, 0, r.said);
  assert.equal(cli.state().calls!.filter((c) => c[1] === 'compose').map((c) => c.slice(1).join(' ')), ['compose ps --format json', 'compose up -d --wait --wait-timeout 300']);
  // No .git in this copy: compose gets no commit (the page's service.version is the package's alone).
  assert.is(cli.state().appCommit, '');
  assert.is(r.verdict!.mode, 'local');
  assert.equal(r.verdict!.lines.map((l) => [l.ok, l.text.split(':')[0]]), [[true, 'browser origin → backend'], [true, 'browser origin → collector'], [true, 'backend → collector']]);
  assert.match(r.verdictTxt, /^Cruddur workspace start on GitHub Codespaces, .*: ✔ the local pipeline works/);
  assert.match(r.verdictTxt, /\n {2}· browser: not walked: no browser here \(CHROMIUM_PATH=\/nonexistent\/no-browser-here does not exist\): sudo apt-get install -y chromium/, 'said, not failed');
  assert.match(r.verdictTxt, new RegExp(`next: ${NO_KEY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(r.verdictTxt, /[\d.]+ s from the container's start to this verdict \(stack healthy after [\d.]+ s\)/);
  assert.ok(r.verdict!.verdictMs >= r.verdict!.stackMs!);
  // The first terminal shows it: the banner, sourced from ~/.bashrc, prints the verdict once.
  assert.match(readFileSync(join(r.home, '.bashrc'), 'utf8'), /start-banner\.sh" # cruddur: the start's verdict/);
  const banner = (home: string) => execFileSync('script', ['-qec', `bash --rcfile ${join(home, '.bashrc')} -ic exit`, '/dev/null'], { env: { PATH: process.env.PATH, HOME: home, TERM: 'dumb' }, encoding: 'utf8' });
  const bannerRoot = r.root;
  symlinkSync(join(REPO_ROOT, 'scripts'), join(bannerRoot, 'scripts'));
  assert.match(banner(r.home), /✔ the local pipeline works/);
  assert.not.match(banner(r.home), /the local pipeline works/, 'once per start, not in every terminal');
  // The doctor points to it.
  const { doctor } = await import('../doctor/main.ts');
  const { silentTerm } = await import('../lib/terminal/term.ts');
  const { loadSettings } = await import('../lib/workspace/settings.ts');
  const term = silentTerm();
  await doctor(['--only', 'stack'], { settings: loadSettings(stackEnv(ctx), {}), term, startDir: r.dir });
  assert.match(term.lines.join('\n'), /last workspace start \(.*\): passed, 3\/3 hops; the verdict is in \.cruddur\/start\/verdict\.txt/);
});

t('no key, with a browser: a journey walks the dev server, and its spans, joined to the backend’s in the collector’s files, are the verdict’s fourth line', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const r = await start({ ...cli.env, ...stackEnv(ctx), CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '', CODESPACES: 'true', CODESPACE_NAME: 'cruddur-x', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' }, { telemetryDir: ctx.telemetry });
  assert.is(r.code, 0, r.said);
  assert.equal(r.verdict!.lines.map((l) => [l.ok, l.text.split(':')[0]]), [[true, 'browser origin → backend'], [true, 'browser origin → collector'], [true, 'backend → collector'], [true, 'browser → collector → backend']], r.verdictTxt);
  assert.match(r.verdictTxt, /✔ browser → collector → backend: a journey in a browser, its spans joined to the backend's in the collector's files \(trace [0-9a-f]{32}\)/);
  assert.is(r.verdict!.notes, undefined);
});

// .ona/devcontainer.json's containerEnv: every compose in the container runs the host-network override.
const ONA_HOST_NETWORK = { COMPOSE_FILE: '/workspace/cruddur/docker-compose.yml:/workspace/cruddur/.ona/docker-compose.ona.yml' };

t('Ona on its host network (.ona/devcontainer.json): port 3000 opened for its creator only, the URL Ona’s CLI answered in the verdict, and no gp', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker', 'gitpod']);
  const r = await start({ ...cli.env, ...stackEnv(ctx), ...ONA_HOST_NETWORK, GITPOD_ENVIRONMENT_ID: '019cd868-853b-7ed2-9862-a56d5c6d1c78' }, { git: true });
  assert.is(r.code, 0, r.said);
  // The checkout's commit reaches compose, for the page's service.version (the dev container has no .git).
  assert.is(cli.state().appCommit, execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: r.root }).toString().trim());
  const calls = cli.state().calls!;
  assert.ok(calls.some((c) => c.join(' ') === 'gitpod environment port open 3000 --name frontend-react-js --admission creator_only'), JSON.stringify(calls));
  assert.not.ok(calls.some((c) => c[0] === 'gp'), 'Ona has no gp');
  assert.is(cli.state().composeFile, ONA_HOST_NETWORK.COMPOSE_FILE, 'compose as the container’s environment has it');
  assert.is(r.verdict!.frontend, 'https://3000--019cd868-853b-7ed2-9862-a56d5c6d1c78.us-east-1-01.gitpod.dev (asked for its creator only; a runner without port authentication admits anyone with the URL)');
  assert.match(r.verdictTxt, /^Cruddur workspace start on Ona/);
  assert.not.match(readFileSync(join(r.home, '.bashrc'), 'utf8'), /COMPOSE_FILE/, 'the container’s environment carries it, not a shell file');
});

t('Ona in the default dev container: no port opened (Ona’s sharing cannot reach the stack’s own network), and the verdict says where to open the app', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker', 'gitpod']);
  const r = await start({ ...cli.env, ...stackEnv(ctx), GITPOD_ENVIRONMENT_ID: 'env-1' });
  assert.is(r.code, 0, r.said);
  assert.not.ok(cli.state().calls!.some((c) => c[0] === 'gitpod'), 'a URL that would reach nothing is not opened');
  assert.is(cli.state().composeFile, '', 'no COMPOSE_FILE: the stack in its own network, as on every other host');
  assert.match(r.verdictTxt, /open the app: your editor's Ports view \(port 3000, forwarded to you\); an Ona port URL needs \.ona\/devcontainer\.json/);
});

t('Ona with port sharing refused: the verdict still comes, and says what the CLI answered and where to open the port', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [], ona: { portOpenFails: true } }, ['docker', 'gitpod']);
  const r = await start({ ...cli.env, ...stackEnv(ctx), ...ONA_HOST_NETWORK, GITPOD_ENVIRONMENT_ID: 'env-1' });
  assert.is(r.code, 0);
  assert.is(r.verdict!.frontend, undefined);
  assert.match(r.said, /could not open port 3000 \(error: port sharing is disabled by your organization\): open it in the environment's Ports panel/);
});

t('a HOME the start cannot write to: no banner, and the start goes on to its verdict, saying where to read it', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const root = checkout();
  const said: string[] = [];
  const home = join(root, 'no-such-home');
  const r = await workspaceStart({ env: { ...cli.env, ...stackEnv(ctx), CODESPACES: 'true', HOME: home }, root, dir: join(root, '.cruddur', 'start'), say: (l) => said.push(l), ports: [] });
  assert.is(r.code, 0, said.join('\n'));
  assert.ok(said.includes(`  could not add the verdict banner to ${home}/.bashrc (ENOENT): cat .cruddur/start/verdict.txt shows it`), said.join('\n'));
});

t('a laptop: no banner in the user’s shell, and a port another program holds is named with what to do, before compose runs', async (ctx) => {
  const squatter = await listen(() => {});
  try {
    const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
    const r = await start({ ...cli.env, ...stackEnv(ctx) }, { ports: [[squatter.port, 'frontend-react-js']] });
    assert.is(r.code, 1);
    assert.is(r.verdict!.mode, 'not started');
    assert.match(r.verdictTxt, new RegExp(`port ${squatter.port} \\(frontend-react-js\\) is already in use by another program: stop it \\(lsof -i :${squatter.port} names it\\)`));
    assert.not.ok(cli.state().calls!.some((c) => c[2] === 'up'), 'compose up never ran');
    assert.not.ok(existsSync(join(r.home, '.bashrc')), 'a laptop’s shell is the user’s own');
  } finally {
    await squatter.close();
  }
});

t('local files: the start saves CRUDDUR_LOCAL_FILES=on with this user’s ids in .env, once, and keeps a student’s off', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const r = await start({ ...cli.env, ...stackEnv(ctx), CODESPACES: 'true' });
  assert.is(r.code, 0, r.said);
  assert.ok(existsSync(join(r.root, '.cruddur', 'telemetry')), 'the folder compose mounts for the collector');
  const saved = parseEnv(readFileSync(join(r.root, '.env'), 'utf8'));
  assert.equal([saved.CRUDDUR_LOCAL_FILES, saved.CRUDDUR_UID, saved.CRUDDUR_GID], ['on', String(process.getuid!()), String(process.getgid!())]);
  assert.match(r.said, /saved CRUDDUR_LOCAL_FILES=on in \.env: the collector also keeps what it receives in \.cruddur\/telemetry/);
  const off = await start({ ...cli.env, ...stackEnv(ctx), CODESPACES: 'true', CRUDDUR_LOCAL_FILES: 'off' });
  assert.not.ok(existsSync(join(off.root, '.env')), 'a student’s choice is not overwritten');
});

t('a password in FRONTEND_SERVER_URL: never in what the start says, its log or its verdict', async (ctx) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const url = new URL(ctx.front.url);
  url.username = 'student';
  url.password = 'hunter2-not-a-real-one';
  const r = await start({ ...cli.env, ...stackEnv(ctx), FRONTEND_SERVER_URL: url.href, CODESPACES: 'true' });
  const kept = ['verdict.txt', 'verdict.json', 'start.log'].map((f) => readFileSync(join(r.dir, f), 'utf8')).join('\n');
  assert.match(r.said, /student:\*\*\*@/, `the address is shown, its password hidden:\n${r.said}`);
  assert.not.ok((r.said + kept).includes('hunter2'), r.said);
});

t('the engine stopped: the verdict says the stack did not start, and how to find out why', async () => {
  const cli = fakeCli({ engine: 'stopped' }, ['docker']);
  const r = await start({ ...cli.env, REMOTE_CONTAINERS: 'true' });
  assert.is(r.code, 1);
  assert.match(r.verdictTxt, /on VS Code Dev Containers, .*: ✘ the stack did not start/);
  assert.match(r.verdictTxt, /docker compose up failed \(exit 1\).*npm run doctor -- --only workspace,stack/);
});

t.run();

const remote = suite<{ world: World }>('a workspace start with a key and credentials: the smoke is the verdict');
remote.before(async (ctx) => {
  ctx.world = await startWorld();
});
remote.after(({ world }) => world?.close()); // a before that failed says why itself

remote('each hop confirmed or named broken; a hop that fails makes the verdict a failure', async ({ world }) => {
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const env = { ...(world.env() as Record<string, string>), ...cli.env, CODESPACES: 'true' };
  const r = await start(env, { smokeOverrides: { pollMs: 50, minuteMs: world.honeycomb.minuteMs } });
  assert.is(r.verdict!.mode, 'remote');
  assert.is(r.code, 0, r.verdictTxt);
  assert.equal(r.verdict!.lines.map((l) => l.text.split(':')[0]), ['honeycomb', 'xray', 'collector', 'backend', 'logs', 'metrics']);
  assert.match(r.verdictTxt, /✔ every hop confirmed/);
  assert.not.match(r.verdictTxt + r.said, new RegExp(KEYS.enterprise), 'no key in the verdict or the log');
  world.collector.setDeliver(false);
  try {
    const broken = await start(env, { smokeOverrides: { pollMs: 50, minuteMs: world.honeycomb.minuteMs }, smokeTimeoutS: 4 });
    assert.is(broken.code, 1);
    assert.match(broken.verdictTxt, /✘ collector: not confirmed: .* Likely: the collector: it took the spans but did not deliver them/);
  } finally {
    world.collector.setDeliver(true);
  }
});

remote('a Honeycomb that echoes the key, pasted with a newline: the verdict names the failure, and neither it, the log nor the output holds the key', async ({ world }) => {
  const echo = await listen((req, res) => res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway for key=${req.headers['x-honeycomb-team']}`));
  try {
    const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
    const env = { ...(world.env() as Record<string, string>), ...cli.env, CODESPACES: 'true', HONEYCOMB_API_KEY: `${KEYS.enterprise}\n`, HONEYCOMB_API_ENDPOINT: echo.url };
    const r = await start(env, { smokeOverrides: { pollMs: 50, minuteMs: world.honeycomb.minuteMs }, smokeTimeoutS: 3 });
    assert.is(r.code, 1);
    const kept = ['verdict.txt', 'verdict.json', 'start.log'].map((f) => readFileSync(join(r.dir, f), 'utf8')).join('\n');
    assert.match(r.verdictTxt, /✘ honeycomb: not confirmed: .*bad gateway for key=hcxlk_…#[0-9a-f]{8}/, r.verdictTxt);
    assert.not.ok((r.said + kept).includes(KEYS.enterprise.slice(6)), 'the key is never printed or kept');
  } finally {
    await echo.close();
  }
});

remote.run();
