// Every start of a workspace ends in a verdict, with nobody typing: the dependencies (once),
// the stack up and healthy (--wait), on Ona's host network port 3000 opened for its creator,
// then which hops work. With a key and AWS credentials that is the smoke; without, proof that
// the local pipeline works through the running stack (browser origin -> backend -> collector),
// and the one command that adds the key. The verdict is kept in .cruddur/start/ (the doctor
// points to it) and shown in the first terminal the student opens (scripts/start-banner.sh).
// Run by .devcontainer/workspace.sh start (postStartCommand on Codespaces, VS Code and Ona) and npm run up.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isMain } from './lib/terminal/cli.ts';
import { canaryTrace } from './lib/otlp/canary.ts';
import { loadSettings, readDotEnv, REPO_ROOT, settingsSecrets, type Settings } from './lib/workspace/settings.ts';
import { safeJson, safeOutput } from './lib/terminal/secrets.ts';
import { HOST_NAMES, host, type Host } from './lib/workspace/host.ts';
import { START_DIR, type Line, type Verdict } from './lib/workspace/start-verdict.ts';
import type { HopResult } from './smoke/result.ts';
import { updateDotEnv } from './lib/workspace/dotenv-file.ts';

export { START_DIR, type Line, type Verdict };

export const NO_KEY = "No HONEYCOMB_API_KEY yet: run  npm run setup  (it asks, checks and saves it), then  npm run smoke. Until then, npm run board:local answers the week's questions from what the collector keeps here";
/** The stack's published ports, each with its service. */
const PORTS: [number, string][] = [[3000, 'frontend-react-js'], [4567, 'backend-flask-ts'], [4318, 'otel-collector'], [13133, 'otel-collector'], [8888, 'otel-collector']];
/** Ona shares only ports on the host network: .ona/devcontainer.json runs the stack there with this file. */
export const ONA_COMPOSE_OVERRIDE = '.ona/docker-compose.ona.yml';

type Env = Record<string, string | undefined>;

export interface StartOptions {
  env?: Env;
  say?: (line: string) => void;
  root?: string;
  /** Where the verdict and the log go (tests give a folder of their own). */
  dir?: string;
  /** The smoke's overrides (tests shorten Honeycomb's minute along with their fake's). */
  smokeOverrides?: { pollMs?: number; minuteMs?: number };
  /** How long the smoke may wait for its confirmations (X-Ray indexes within a minute or two). */
  smokeTimeoutS?: number;
  /** Where the collector keeps its files (default: the checkout's .cruddur/telemetry, which compose mounts). */
  telemetryDir?: string;
  /** The ports to find free before starting (the stack's; tests name their own). */
  ports?: [number, string][];
}

interface Ran {
  code: number | null;
  out: string;
  missing: boolean;
  /** Why it could not be started at all, when it could not (ENOENT is `missing`; EACCES a file by that name that is not a program). */
  unrunnable?: string;
  /** The signal that ended it, when one did (SIGKILL from its own time limit among them). */
  signal?: string;
  timedOutMs?: number;
}

/** What a command's failure was, in the verdict's words. */
const failure = (ran: Ran, tool: string): string =>
  ran.missing
    ? `${tool} is not installed`
    : ran.unrunnable
      ? `${tool} could not be run: ${ran.unrunnable}`
      : ran.timedOutMs
        ? `stopped after ${ran.timedOutMs / 60_000} minutes`
        : ran.signal
          ? `ended by ${ran.signal}`
          : `exit ${ran.code}`;

/** A command with its output shown as it comes (the start's log) and kept. */
function run(cmd: string, args: string[], env: Env, say: (l: string) => void, cwd: string, timeoutMs = 900_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), timeoutMs);
    const take = (c: Buffer) => {
      out += c;
      for (const l of c.toString().split('\n')) if (l.trim()) say(`  ${l}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err: NodeJS.ErrnoException) => (clearTimeout(timer), resolve({ code: null, out: err.message, missing: err.code === 'ENOENT', unrunnable: err.code })));
    child.on('close', (code, signal) => (clearTimeout(timer), resolve({ code, out, missing: false, signal: signal ?? undefined, timedOutMs: timedOut ? timeoutMs : undefined })));
  });
}

/** npm ci only when node_modules is missing or older than the lockfile: a second start reuses it. */
function depsCurrent(root: string): boolean {
  const marker = join(root, 'node_modules', '.package-lock.json');
  return existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

/** Whether something on this machine already listens on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(false)));
  });
}

/** Ports the stack needs that another program holds (not this project's own containers). */
export async function portsTaken(env: Env, root: string, ports = PORTS): Promise<[number, string][]> {
  const ps = await run('docker', ['compose', 'ps', '--format', 'json'], env, () => {}, root, 30_000);
  const ours = ps.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { Publishers?: { PublishedPort: number }[]; Service: string; State: string });
  const held = new Set(ours.filter((c) => c.State === 'running').flatMap((c) => (c.Publishers ?? []).map((p) => p.PublishedPort)));
  // On Ona the stack is on the host network: its own listeners are its own.
  const onHost = new Set(ours.filter((c) => c.State === 'running').map((c) => c.Service));
  const taken: [number, string][] = [];
  for (const [port, service] of ports) if (!held.has(port) && !onHost.has(service) && (await listening(port))) taken.push([port, service]);
  return taken;
}

/** Proof through the running stack, with no cloud account: what the browser's path does. */
export async function localProof(settings: Settings): Promise<Line[]> {
  const front = settings.frontendServerUrl.value.replace(/\/+$/, '');
  const metricsUrl = settings.env.OTEL_COLLECTOR_METRICS_URL || 'http://localhost:8888/metrics';
  // No series yet is none accepted (a new collector has counted nothing); a page that is not the
  // metrics (a 404, another program on the port) is no answer, not zero.
  const accepted = async () => {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`it answered ${res.status}`);
    return [...text.matchAll(/^otelcol_receiver_accepted_spans\{[^}]*\} (\d+(?:\.\d+)?)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };
  const lines: Line[] = [];
  let silent = '';
  const before = await accepted().catch((err: Error) => ((silent = err.message), undefined));
  // The browser's first hop: the page's origin proxies /api to the backend.
  try {
    const res = await fetch(`${front}/api/activities/home`, { headers: { traceparent: `00-${canaryTrace('start', 'local').traceId}-00f067aa0ba902b7-01` }, signal: AbortSignal.timeout(5000) });
    const body = await res.text();
    lines.push(res.ok && body.trim().startsWith('[') ? { ok: true, text: `browser origin → backend: ${front}/api answered ${res.status} with the home feed` } : { ok: false, text: `browser origin → backend: ${front}/api answered ${res.status}: the front end's proxy cannot reach the backend (docker compose logs backend-flask-ts)` });
  } catch (err) {
    lines.push({ ok: false, text: `browser origin → backend: nothing answered at ${front} (${(err as Error).message}): docker compose ps says which service is down` });
  }
  // The browser's spans: the page's origin proxies /v1/traces to the collector.
  let canarySpans = 0;
  try {
    const { spans } = canaryTrace(settings.serviceName.value, 'start');
    const { sendSpans } = await import('./lib/otlp/send.ts');
    const sent = await sendSpans(spans, `${front}/v1/traces`, {}, 5000);
    // Only spans the collector took are in its count: a refused canary leaves the backend's alone there.
    if (sent.ok) canarySpans = spans.length;
    lines.push(sent.ok ? { ok: true, text: `browser origin → collector: ${front}/v1/traces took a span` } : { ok: false, text: `browser origin → collector: ${front}/v1/traces refused it (${sent.error}): docker compose logs otel-collector` });
  } catch (err) {
    lines.push({ ok: false, text: `browser origin → collector: ${(err as Error).message}` });
  }
  // The backend's own spans reach the collector: its receiver's count grows (it exports within seconds).
  let after = before;
  // Asked at once, then every half second for 10 s (the backend's batches leave within seconds).
  for (let i = 0; i <= 20 && before !== undefined && after !== undefined && after <= before + canarySpans; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 500));
    after = await accepted().catch(() => after);
  }
  if (before === undefined) lines.push({ ok: false, text: `backend → collector: the collector's metrics (${metricsUrl}) did not answer (${silent}): docker compose logs otel-collector` });
  else lines.push(after! > before + canarySpans ? { ok: true, text: `backend → collector: the collector accepted ${after! - before} spans, the backend's among them` } : { ok: false, text: 'backend → collector: no span from the backend reached the collector in 10 s: docker compose logs backend-flask-ts' });
  return lines;
}

/** The smoke's hops, each confirmed or named broken with its likely cause; the browser's among them where there is one. */
async function remoteProof(settings: Settings, overrides: StartOptions['smokeOverrides'], timeoutS = 150): Promise<{ lines: Line[]; notes: string[] }> {
  const { smoke } = await import('./smoke/main.ts');
  const { silentTerm } = await import('./lib/terminal/term.ts');
  const { findChromium, GET_CHROMIUM } = await import('./lib/browser/chromium.ts');
  const { report } = await smoke(['--timeout', String(timeoutS)], { term: silentTerm(), settings, overrides });
  const browser = findChromium(settings.env);
  return {
    lines: (report?.hops ?? []).map((h) => ({ ok: h.confirmed, text: h.confirmed ? `${h.hop}: confirmed${h.evidence ? ` (${h.evidence})` : ''}` : `${h.hop}: not confirmed: ${h.error ?? ''}${h.cause ? ` Likely: ${h.cause}` : ''}` })),
    notes: [...('why' in browser ? [`browser: not walked: no browser here (${browser.why}): ${GET_CHROMIUM}`] : []), ...(report?.hops ?? []).flatMap(journeyNotes)],
  };
}

/** Without a key: the journey through the stack just started, judged from the collector's files. */
async function localJourney(settings: Settings, telemetryDir: string): Promise<{ lines: Line[]; notes: string[] }> {
  const { runLocalJourney } = await import('./smoke/local-browser.ts');
  const { silentTerm } = await import('./lib/terminal/term.ts');
  const r = await runLocalJourney(settings, silentTerm(), 20_000, telemetryDir);
  if ('skipped' in r) return { lines: [], notes: [`browser: not walked: ${r.skipped}`] };
  return { lines: [{ ok: r.confirmed, text: r.confirmed ? `browser → collector → backend: a journey in a browser, its spans joined to the backend's in the collector's files (trace ${r.traceId})` : `browser → collector → backend: ${r.error}` }], notes: journeyNotes(r) };
}

/** What a journey got past on the way (a first page reloaded), for the verdict's notes. */
const journeyNotes = (h: HopResult): string[] => (h.journey?.steps ?? []).flatMap((s) => (s.note ? [`browser: ${s.name}: ${s.note}`] : []));

/** One line, made safe, in the start's log and on stdout (the host's creation log). */
function logger(dir: string, say: (l: string) => void, safe: (l: string) => string) {
  mkdirSync(dir, { recursive: true });
  return (line: string) => {
    const shown = safe(line);
    appendFileSync(join(dir, 'start.log'), `${shown}\n`);
    say(shown);
  };
}

/** scripts/start-banner.sh from each new interactive shell: the verdict in the first terminal. */
function installBanner(root: string, env: Env): string | undefined {
  const rc = join(env.HOME || homedir(), '.bashrc');
  const line = `[ -f "${root}/scripts/start-banner.sh" ] && . "${root}/scripts/start-banner.sh" # cruddur: the start's verdict`;
  try {
    if (!(existsSync(rc) && readFileSync(rc, 'utf8').includes(line))) appendFileSync(rc, `\n${line}\n`);
    return undefined;
  } catch (err) {
    // A nicety: the start goes on without it, and says how to see the verdict instead.
    return `could not add the verdict banner to ${rc} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): cat .cruddur/start/verdict.txt shows it`;
  }
}

/**
 * Where the student opens the app on Ona. On its host network (.ona/devcontainer.json) the
 * start opens port 3000 with Ona's CLI and reports what the CLI answered; in the default dev
 * container the stack has a network of its own, which Ona's port sharing cannot reach
 * (ona.com/docs/ona/integrations/ports, "Host network stack"), so the editor's forwarding is the way.
 */
async function onaFrontend(env: Env, root: string, say: (l: string) => void): Promise<string | undefined> {
  if (!(env.COMPOSE_FILE ?? '').includes(ONA_COMPOSE_OVERRIDE)) {
    return "your editor's Ports view (port 3000, forwarded to you); an Ona port URL needs .ona/devcontainer.json (its head says how)";
  }
  // creator_only: only the environment's creator, signed in, may open it; on runners without port
  // authentication, and where an organisation's policy caps it, Ona admits otherwise (same page,
  // "Port access levels"). The CLI is `gitpod` in environments (also `ona` in newer ones).
  const args = ['environment', 'port', 'open', '3000', '--name', 'frontend-react-js', '--admission', 'creator_only'];
  let open = await run('gitpod', args, env, () => {}, root, 60_000);
  if (open.missing) open = await run('ona', args, env, () => {}, root, 60_000);
  const url = open.code === 0 ? open.out.match(/https:\/\/\S+/)?.[0] : undefined;
  if (url) return `${url} (asked for its creator only; a runner without port authentication admits anyone with the URL)`;
  say(`  could not open port 3000 (${open.missing ? "neither gitpod nor ona (Ona's CLI) is installed" : open.out.trim().split('\n').at(-1)}): open it in the environment's Ports panel`);
  return undefined;
}

/** Where the collector keeps what it receives (docker-compose.yml mounts it at /telemetry). */
export const TELEMETRY_DIR = join('.cruddur', 'telemetry');

/**
 * Local files for npm run board:local: the folder, and in .env (which every docker compose reads)
 * CRUDDUR_LOCAL_FILES=on with this user's ids, so the collector writes there as the student (its
 * file exporter makes the files 0600). A value already set, on or off, is the student's and kept.
 */
function keepLocalFiles(root: string, env: Env, say: (l: string) => void) {
  mkdirSync(join(root, TELEMETRY_DIR), { recursive: true });
  const dotenv = join(root, '.env');
  if (env.CRUDDUR_LOCAL_FILES !== undefined || readDotEnv(dotenv).CRUDDUR_LOCAL_FILES !== undefined) return;
  // Without ids (Windows), the image's user: Docker Desktop lets any user write a bind mount.
  const ids: Record<string, string> = process.getuid && process.getgid ? { CRUDDUR_UID: String(process.getuid()), CRUDDUR_GID: String(process.getgid()) } : {};
  try {
    updateDotEnv(dotenv, { CRUDDUR_LOCAL_FILES: 'on', ...ids });
    say(`  saved CRUDDUR_LOCAL_FILES=on in .env: the collector also keeps what it receives in ${TELEMETRY_DIR} (npm run board:local asks the week's questions of it)`);
  } catch (err) {
    say(`  no local files: .env could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function renderVerdict(v: Verdict): string {
  const head = v.mode === 'not started' ? '✘ the stack did not start' : v.ok ? `✔ ${v.mode === 'remote' ? 'every hop confirmed' : 'the local pipeline works'}` : '✘ some hops are broken';
  const timing = `${((v.verdictMs) / 1000).toFixed(1)} s from the container's start to this verdict${v.stackMs !== undefined ? ` (stack healthy after ${(v.stackMs / 1000).toFixed(1)} s)` : ''}`;
  return [
    `Cruddur workspace start on ${HOST_NAMES[v.host]}, ${v.startedAt}: ${head}`,
    ...v.lines.map((l) => `  ${l.ok ? '✔' : '✘'} ${l.text}`),
    ...(v.notes ?? []).map((n) => `  · ${n}`),
    ...(v.frontend ? [`  open the app: ${v.frontend}`] : []),
    ...(v.next ? [`  next: ${v.next}`] : []),
    `  ${timing}; log: .cruddur/start/start.log`,
  ].join('\n');
}

export async function workspaceStart(opts: StartOptions = {}): Promise<{ code: number; verdict?: Verdict }> {
  const env: Env = { ...(opts.env ?? process.env) };
  const root = opts.root ?? REPO_ROOT;
  const dir = opts.dir ?? START_DIR;
  // Everything it says, logs and keeps goes through the filter the other commands use: a key
  // or a URL's password that a server or a tool echoes is masked (compose's output included).
  const secrets = settingsSecrets(loadSettings(env, readDotEnv(join(root, '.env'))));
  const say = logger(dir, opts.say ?? ((l) => console.log(l)), (l) => safeOutput(l, secrets));
  const started = Date.now();
  const where = host(env);
  const finish = (v: Omit<Verdict, 'host' | 'startedAt' | 'verdictMs'>) => {
    const verdict: Verdict = safeJson({ host: where, startedAt: new Date(started).toISOString(), verdictMs: Date.now() - started, ...v }, secrets);
    writeFileSync(join(dir, 'verdict.json'), `${JSON.stringify(verdict, null, 2)}\n`);
    writeFileSync(join(dir, 'verdict.txt'), `${renderVerdict(verdict)}\n`);
    say(renderVerdict(verdict));
    return { code: verdict.ok ? 0 : 1, verdict };
  };
  writeFileSync(join(dir, 'start.log'), '');
  for (const f of ['verdict.json', 'verdict.txt']) if (existsSync(join(dir, f))) writeFileSync(join(dir, f), '');
  if (where !== 'local') {
    const problem = installBanner(root, env);
    if (problem) say(`  ${problem}`);
  }
  say(`== ${HOST_NAMES[where]}: starting the stack`);
  if (!depsCurrent(root)) {
    say('== npm ci (once; a second start reuses node_modules)');
    const ci = await run('npm', ['ci', '--no-audit', '--no-fund'], env, say, root);
    if (ci.code !== 0) return finish({ ok: false, mode: 'not started', lines: [{ ok: false, text: `npm ci failed (${failure(ci, 'npm')}): see its output above` }] });
  }
  keepLocalFiles(root, env, say);
  const taken = await portsTaken(env, root, opts.ports);
  if (taken.length) {
    return finish({
      ok: false,
      mode: 'not started',
      lines: taken.map(([port, service]) => ({ ok: false, text: `port ${port} (${service}) is already in use by another program: stop it (lsof -i :${port} names it), or publish ${service} elsewhere in a docker-compose.override.yml` })),
    });
  }
  say('== docker compose up -d --wait');
  // The page's spans name the commit they came from (service.version); the dev container has no .git to ask.
  const up = await run('docker', ['compose', 'up', '-d', '--wait', '--wait-timeout', '300'], { ...env, APP_COMMIT: env.APP_COMMIT ?? gitCommit(root) }, say, root);
  if (up.code !== 0) {
    return finish({ ok: false, mode: 'not started', lines: [{ ok: false, text: `docker compose up failed (${failure(up, 'docker')}): its output is above; npm run doctor -- --only workspace,stack says what is missing` }] });
  }
  const stackMs = Date.now() - started;
  const frontend = where === 'ona' ? await onaFrontend(env, root, say) : undefined;
  const settings = loadSettings(env, readDotEnv(join(root, '.env')));
  const remote = Boolean(settings.honeycombKey) && settings.awsCredentials;
  say(`== the verdict: ${remote ? 'npm run smoke, every hop' : 'the local pipeline, through the running stack'}`);
  const proof = remote ? await remoteProof(settings, opts.smokeOverrides, opts.smokeTimeoutS) : { lines: await localProof(settings), notes: [] as string[] };
  if (!remote) {
    const journey = await localJourney(settings, opts.telemetryDir ?? join(root, TELEMETRY_DIR));
    proof.lines.push(...journey.lines);
    proof.notes.push(...journey.notes);
  }
  const { lines, notes } = proof;
  const next = remote ? undefined : settings.honeycombKey ? 'AWS credentials for X-Ray: npm run setup, then npm run smoke' : NO_KEY;
  return finish({ ok: lines.length > 0 && lines.every((l) => l.ok), mode: remote ? 'remote' : 'local', stackMs, lines, ...(notes.length ? { notes } : {}), next, frontend });
}

if (isMain(import.meta)) {
  await workspaceStart();
  // The workspace opens either way: the verdict says what to fix.
  process.exitCode = 0;
}

/** The checkout's commit, short; empty where there is no git or no checkout. */
function gitCommit(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 }).toString().trim();
  } catch {
    return '';
  }
}
