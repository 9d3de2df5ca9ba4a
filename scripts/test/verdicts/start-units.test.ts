// The workspace start in one process, in seconds: every branch a student's verdict can take, with
// its exact words. Docker, npm and Ona's CLI are testkit/fake-cli.ts; the running stack is one
// loopback server standing where the front end's origin (its /api and /v1/traces proxies) and the
// collector's metrics would be; the remote verdict is the smoke against the cloud fakes. The real
// pipeline (backend, collector, Vite, a browser) is workspace-start.test.ts's; this file is what
// npm run mutate runs first for the start.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closedPort, listen, readBody, type Running } from '../../../testkit/http.ts';
import { fakeCli, type FakeCliState } from '../../../testkit/fake-cli.ts';
import { KEYS } from '../../../testkit/honeycomb.ts';
import { NO_BROWSER, startClouds, type Clouds } from '../../../testkit/clouds.ts';
import { canaryTrace } from '../../lib/otlp/canary.ts';
import { decodeTraces } from '../../lib/otlp/decode.ts';
import { lastVerdict, START_DIR, type Verdict } from '../../lib/workspace/start-verdict.ts';
import { REPO_ROOT } from '../../lib/workspace/settings.ts';
import { NO_KEY, renderVerdict, workspaceStart, type StartOptions } from '../../workspace-start.ts';

/** What the stand-in stack answers; each test sets what it breaks. */
interface StackPlan {
  /** /api/activities/home: a status and body ('feed' is a JSON array; 'page' the app's HTML, as Vite's fallback serves it). */
  api: { status: number; body: 'feed' | 'page' };
  /** /v1/traces: the status the collector's receiver answers. */
  traces: number;
  /** Whether /metrics answers ('hang': it takes the request and never answers). */
  metrics: boolean | 'hang';
  /** The backend's own spans each /api request adds to the collector's count, this long after it (its batch's delay). */
  backendSpans: number;
  backendDelayMs?: number;
  /** Which /metrics requests (counted from 1) answer 503, as a collector restarting would. */
  failMetricsAt?: number[];
}
interface Stack extends Running {
  plan: StackPlan;
  /** Counts /metrics requests from 1 again. */
  resetMetrics(): void;
  seen: { url: string; headers: IncomingMessage['headers'] }[];
}
const HEALTHY: StackPlan = { api: { status: 200, body: 'feed' }, traces: 200, metrics: true, backendSpans: 2 };

/** Where the page's origin and the collector's metrics would be, counting spans as otelcol does. */
async function standInStack(): Promise<Stack> {
  let accepted = 100;
  let metricsAsked = 0;
  const s = { plan: { ...HEALTHY }, seen: [] } as unknown as Stack;
  const running = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    s.seen.push({ url, headers: req.headers });
    if (url === '/api/activities/home') {
      const spans = s.plan.backendSpans;
      if (s.plan.backendDelayMs) setTimeout(() => (accepted += spans), s.plan.backendDelayMs).unref();
      else accepted += spans;
      const body = s.plan.api.body === 'feed' ? '  [{"uuid":"1"}]' : '<!doctype html><div id="root"></div>';
      return res.writeHead(s.plan.api.status, { 'content-type': s.plan.api.body === 'feed' ? 'application/json' : 'text/html' }).end(body);
    }
    if (url === '/v1/traces') {
      const spans = decodeTraces(await readBody(req), String(req.headers['content-type'])).length;
      if (s.plan.traces !== 200) return res.writeHead(s.plan.traces, { 'content-type': 'text/plain' }).end('no');
      accepted += spans;
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }
    if (url === '/metrics' && s.plan.metrics === 'hang') return;
    if (url === '/metrics' && (s.plan.failMetricsAt ?? []).includes(++metricsAsked)) return res.writeHead(503).end('restarting');
    if (url === '/metrics' && s.plan.metrics) {
      // As the collector's Prometheus endpoint has it: one series per receiver and transport, and
      // other counters beside (refused spans are not accepted ones).
      const grpc = 7;
      return res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(`# TYPE otelcol_receiver_accepted_spans counter\notelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} ${grpc}\notelcol_receiver_accepted_spans{receiver="otlp",transport="http"} ${accepted}\notelcol_receiver_refused_spans{receiver="otlp",transport="http"} 5000\n`);
    }
    res.writeHead(404).end();
  });
  s.resetMetrics = () => void (metricsAsked = 0);
  return Object.assign(s, running);
}

/**
 * A checkout with nothing of the developer's: its node_modules only npm's marker, newer than the
 * lockfile (current) or older. Never the repository's own node_modules: a bug (or a mutant) that
 * ran the real npm ci here would empty it.
 */
function checkout(opts: { git?: boolean; depsCurrent?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'cruddur-start-units-'));
  copyFileSync(join(REPO_ROOT, 'package-lock.json'), join(root, 'package-lock.json'));
  mkdirSync(join(root, 'node_modules'));
  writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
  utimesSync(join(root, opts.depsCurrent === false ? 'node_modules/.package-lock.json' : 'package-lock.json'), new Date(0), new Date(0));
  if (opts.git) {
    const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, stdio: 'ignore' });
    g('init', '-q');
    g('add', 'package-lock.json');
    g('commit', '-qm', 'a commit');
  }
  return root;
}

type Tool = Parameters<typeof fakeCli>[1] extends (infer T)[] | undefined ? T : never;

async function start(ctx: Ctx, env: Record<string, string | undefined>, opts: Partial<StartOptions> & { git?: boolean; depsCurrent?: boolean; cli?: Parameters<typeof fakeCli>[0]; tools?: Tool[]; root?: string } = {}) {
  const cli = fakeCli(opts.cli ?? { engine: 'running', containers: [] }, opts.tools ?? ['docker']);
  const root = opts.root ?? checkout(opts);
  const home = mkdtempSync(join(tmpdir(), 'cruddur-units-home-'));
  const dir = join(root, '.cruddur', 'start');
  const said: string[] = [];
  const result = await workspaceStart({
    env: { HOME: home, FRONTEND_SERVER_URL: ctx.stack.url, OTEL_COLLECTOR_METRICS_URL: `${ctx.stack.url}/metrics`, CHROMIUM_PATH: NO_BROWSER, ...cli.env, ...env },
    root,
    dir,
    say: (l) => said.push(l),
    ports: [],
    ...opts,
  });
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  return { ...result, said, saidText: said.join('\n'), verdictTxt: read('verdict.txt'), log: read('start.log'), saved: read('verdict.json'), home, dir, root, cli };
}

interface Ctx {
  stack: Stack;
  clouds: Clouds;
}

/** No test here waits more than seconds: one still running after this is a hang, and fails. */
const LIMIT_MS = 15_000;
const BAIL = process.argv.includes('--bail') || process.argv.includes('-b');
let failed = false;
function section(title: string) {
  const s = suite<Ctx>(`the workspace start in one process: ${title}`);
  s.before(async (ctx) => {
    ctx.stack = await standInStack();
  });
  s.after(async ({ stack }) => {
    await stack?.close();
  });
  s.before.each(({ stack }) => {
    stack.plan = { ...HEALTHY };
    stack.resetMetrics();
    stack.seen.length = 0;
  });
  const test = (name: string, fn: (c: Ctx) => unknown) =>
    s(name, async (c) => {
      if (failed && BAIL) throw new Error('not run: an earlier test failed (--bail)');
      try {
        await Promise.race([fn(c), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`"${name}" still running after ${LIMIT_MS / 1000} s: a hang`)), LIMIT_MS).unref())]);
      } catch (err) {
        failed = true;
        throw err;
      }
    });
  return Object.assign(test, { run: () => s.run(), before: s.before, after: s.after });
}

const LOCAL_LINES = (ctx: Ctx, accepted: number) => [
  { ok: true, text: `browser origin → backend: ${ctx.stack.url}/api answered 200 with the home feed` },
  { ok: true, text: `browser origin → collector: ${ctx.stack.url}/v1/traces took a span` },
  { ok: true, text: `backend → collector: the collector accepted ${accepted} spans, the backend's among them` },
];
const CANARY_SPANS = canaryTrace('backend-flask', 'start').spans.length;
const NO_BROWSER_NOTE = `browser: not walked: no browser here (CHROMIUM_PATH=${NO_BROWSER} does not exist): sudo apt-get install -y chromium (Ubuntu: chromium-browser), or set CHROMIUM_PATH to a Chrome or Chromium`;

// ---------------------------------------------------------------------------------------------
const verdicts = section('the verdict as it is printed, kept and read back');

verdicts('each head, each line’s mark, notes, where to open the app, what to do next, and the timing', () => {
  const base: Verdict = { host: 'codespaces', startedAt: '2026-12-07T10:00:00.000Z', ok: true, mode: 'local', verdictMs: 12_345, stackMs: 4_650, lines: [{ ok: true, text: 'a works' }, { ok: false, text: 'b broken' }] };
  assert.is(
    renderVerdict({ ...base, notes: ['first note', 'second note'], frontend: 'https://x', next: 'do this' }),
    [
      'Cruddur workspace start on GitHub Codespaces, 2026-12-07T10:00:00.000Z: ✔ the local pipeline works',
      '  ✔ a works',
      '  ✘ b broken',
      '  · first note',
      '  · second note',
      '  open the app: https://x',
      '  next: do this',
      "  12.3 s from the container's start to this verdict (stack healthy after 4.7 s); log: .cruddur/start/start.log",
    ].join('\n'),
  );
  const head = (v: Partial<Verdict>) => renderVerdict({ ...base, ...v }).split('\n')[0]!.split(': ').slice(1).join(': ');
  assert.is(head({ mode: 'remote' }), '✔ every hop confirmed');
  assert.is(head({ ok: false }), '✘ some hops are broken');
  assert.is(head({ ok: false, mode: 'remote' }), '✘ some hops are broken');
  assert.is(head({ ok: false, mode: 'not started' }), '✘ the stack did not start');
  assert.is(head({ ok: true, mode: 'not started' }), '✘ the stack did not start', 'a stack that did not start is never a pass');
  assert.is(renderVerdict({ ...base, host: 'ona', stackMs: undefined, verdictMs: 950, lines: [] }), "Cruddur workspace start on Ona, 2026-12-07T10:00:00.000Z: ✔ the local pipeline works\n  0.9 s from the container's start to this verdict; log: .cruddur/start/start.log");
  assert.is(renderVerdict({ ...base, stackMs: 0, lines: [] }).split('\n')[1], "  12.3 s from the container's start to this verdict (stack healthy after 0.0 s); log: .cruddur/start/start.log");
});

verdicts('the verdict’s folder is the one the terminal banner reads: .cruddur/start of the checkout', () => {
  assert.is(START_DIR, join(REPO_ROOT, '.cruddur', 'start'));
  assert.match(readFileSync(join(REPO_ROOT, 'scripts', 'start-banner.sh'), 'utf8'), /dir="\$\(cd "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)\/\.\." && pwd\)\/\.cruddur\/start"/);
});

verdicts('lastVerdict: none yet, one cut off mid-write, and one kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-verdict-'));
  assert.is(lastVerdict(dir), undefined);
  writeFileSync(join(dir, 'verdict.json'), '{"ok": tr');
  assert.is(lastVerdict(dir), undefined);
  writeFileSync(join(dir, 'verdict.json'), '{"ok": true, "mode": "local", "lines": []}');
  assert.equal(lastVerdict(dir), { ok: true, mode: 'local', lines: [] });
});

// ---------------------------------------------------------------------------------------------
const local = section('no key: the local pipeline, hop by hop');

local('a laptop, the stack healthy: three lines confirmed, the command that adds the key, kept as JSON and text, logged, and no banner in the user’s own shell', async (ctx) => {
  const r = await start(ctx, {});
  assert.is(r.code, 0, r.saidText);
  const v = r.verdict!;
  assert.equal(v.lines, LOCAL_LINES(ctx, 2 + CANARY_SPANS));
  assert.equal([v.ok, v.mode, v.host, v.next, v.frontend, v.notes], [true, 'local', 'local', NO_KEY, undefined, [NO_BROWSER_NOTE]]);
  assert.is(NO_KEY, "No HONEYCOMB_API_KEY yet: run  npm run setup  (it asks, checks and saves it), then  npm run smoke. Until then, npm run board:local answers the week's questions from what the collector keeps here");
  assert.ok(v.verdictMs >= v.stackMs! && v.stackMs! >= 0 && v.verdictMs < 60_000, JSON.stringify(v));
  assert.ok(Date.now() - Date.parse(v.startedAt) < 10_000 && Date.now() >= Date.parse(v.startedAt));
  assert.equal(JSON.parse(r.saved), v, 'verdict.json is the verdict');
  assert.is(r.verdictTxt, `${renderVerdict(v)}\n`);
  assert.ok(r.log.endsWith(`${renderVerdict(v)}\n`), 'the log ends with the verdict');
  assert.equal(r.said.slice(0, 2), ['== this machine: starting the stack', '  saved CRUDDUR_LOCAL_FILES=on in .env: the collector also keeps what it receives in .cruddur/telemetry (npm run board:local asks the week\'s questions of it)']);
  assert.ok(r.said.includes('== docker compose up -d --wait') && r.said.includes('== the verdict: the local pipeline, through the running stack'), r.saidText);
  assert.is(r.log, `${r.said.join('\n')}\n`, 'everything said is logged, in order');
  assert.equal(r.cli.state().calls, [['docker', 'compose', 'ps', '--format', 'json'], ['docker', 'compose', 'up', '-d', '--wait', '--wait-timeout', '300']]);
  assert.not.ok(existsSync(join(r.home, '.bashrc')), 'a laptop’s shell is the user’s own');
  // The canary's request carries a trace context whose trace the canary names.
  const api = ctx.stack.seen.find((s) => s.url === '/api/activities/home')!;
  assert.match(String(api.headers.traceparent), /^00-[0-9a-f]{32}-00f067aa0ba902b7-01$/);
});

local('FRONTEND_SERVER_URL with trailing slashes: the same paths, no doubled slash', async (ctx) => {
  const r = await start(ctx, { FRONTEND_SERVER_URL: `${ctx.stack.url}//` });
  assert.is(r.code, 0, r.verdictTxt);
  assert.equal(ctx.stack.seen.map((s) => s.url).filter((u) => !u.startsWith('/metrics')), ['/api/activities/home', '/v1/traces']);
});

local('each hop broken on its own: the line names the hop, what answered and where to look; the verdict fails', async (ctx) => {
  ctx.stack.plan.api = { status: 502, body: 'feed' };
  let r = await start(ctx, {});
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines[0], { ok: false, text: `browser origin → backend: ${ctx.stack.url}/api answered 502: the front end's proxy cannot reach the backend (docker compose logs backend-flask-ts)` });
  assert.equal([r.verdict!.ok, r.verdict!.lines[1]!.ok, r.verdict!.lines[2]!.ok], [false, true, true]);
  assert.match(r.verdictTxt, /: ✘ some hops are broken\n {2}✘ browser origin → backend: /);

  // A proxy that is not there: the dev server answers its own page, 200 and HTML, not the feed.
  ctx.stack.plan.api = { status: 200, body: 'page' };
  r = await start(ctx, {});
  assert.equal(r.verdict!.lines[0], { ok: false, text: `browser origin → backend: ${ctx.stack.url}/api answered 200: the front end's proxy cannot reach the backend (docker compose logs backend-flask-ts)` });

  ctx.stack.plan = { ...HEALTHY, traces: 400 };
  r = await start(ctx, {});
  assert.is(r.code, 1);
  assert.is(r.verdict!.lines[1]!.ok, false);
  assert.match(r.verdict!.lines[1]!.text, new RegExp(`^browser origin → collector: ${ctx.stack.url}/v1/traces refused it \\(.+\\): docker compose logs otel-collector$`));
  assert.equal(r.verdict!.lines[2], { ok: true, text: "backend → collector: the collector accepted 2 spans, the backend's among them" }, 'the canary was refused, so only the backend’s count');

  ctx.stack.plan = { ...HEALTHY, metrics: false };
  r = await start(ctx, {});
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines[2], { ok: false, text: `backend → collector: the collector's metrics (${ctx.stack.url}/metrics) did not answer (it answered 404): docker compose logs otel-collector` });
});

local('the backend’s spans arriving later (its batch’s delay), and a metrics read failing on the way: still confirmed', async (ctx) => {
  ctx.stack.plan = { ...HEALTHY, backendDelayMs: 700, failMetricsAt: [3] };
  const r = await start(ctx, {});
  assert.equal(r.verdict!.lines[2], { ok: true, text: `backend → collector: the collector accepted ${2 + CANARY_SPANS} spans, the backend's among them` }, r.verdictTxt);
});

local('a metrics address that takes the request and never answers: no answer in 3 s, said, and no wait after it', async (ctx) => {
  ctx.stack.plan = { ...HEALTHY, metrics: 'hang' };
  const started = Date.now();
  const r = await start(ctx, {});
  assert.ok(Date.now() - started < 8000, `${Date.now() - started} ms`);
  assert.match(r.verdict!.lines[2]!.text, new RegExp(`^backend → collector: the collector's metrics \\(${ctx.stack.url}/metrics\\) did not answer \\(.*time.*\\): docker compose logs otel-collector$`));
});

local('a key and no AWS credentials: still the local pipeline, and the next step is the credentials', async (ctx) => {
  const r = await start(ctx, { HONEYCOMB_API_KEY: KEYS.enterprise });
  assert.is(r.verdict!.mode, 'local');
  assert.is(r.verdict!.next, 'AWS credentials for X-Ray: npm run setup, then npm run smoke');
  assert.ok(r.said.includes('== the verdict: the local pipeline, through the running stack'));
});

// ---------------------------------------------------------------------------------------------
const before = section('before the stack: dependencies, ports, compose');

before('node_modules older than the lockfile: npm ci, once, before compose; npm ci failing ends the start with its output and no compose', async (ctx) => {
  let r = await start(ctx, {}, { depsCurrent: false, tools: ['docker', 'npm'] });
  assert.is(r.code, 0, r.saidText);
  assert.equal(r.cli.state().calls![0], ['npm', 'ci', '--no-audit', '--no-fund']);
  assert.ok(r.said.includes('== npm ci (once; a second start reuses node_modules)'), r.saidText);
  r = await start(ctx, {}, { depsCurrent: false, tools: ['docker', 'npm'], cli: { engine: 'running', npmFails: 'npm ERR! code ECONNRESET' } });
  assert.is(r.code, 1);
  assert.equal([r.verdict!.mode, r.verdict!.lines], ['not started', [{ ok: false, text: 'npm ci failed (exit 1): see its output above' }]]);
  assert.ok(r.said.includes('  npm ERR! code ECONNRESET'), 'npm’s own words, indented, in what the start says');
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'docker'), 'nothing of the stack ran');
  assert.match(r.verdictTxt, /: ✘ the stack did not start\n {2}✘ npm ci failed \(exit 1\)/);
  // Current: no npm at all (a second start reuses node_modules), also when the marker is exactly as new as the lockfile.
  r = await start(ctx, {}, { tools: ['docker', 'npm'] });
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'npm'));
  assert.not.ok(r.said.some((l) => l.startsWith('== npm ci')));
  const same = checkout({ depsCurrent: false });
  utimesSync(join(same, 'package-lock.json'), new Date(0), new Date(0));
  r = await start(ctx, {}, { root: same, tools: ['docker', 'npm'] });
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'npm'), 'as new as the lockfile is current');
});

before('a command’s output, line by line and indented; blank lines left out', async (ctx) => {
  const r = await start(ctx, {}, { depsCurrent: false, tools: ['docker', 'npm'], cli: { engine: 'running', npmFails: 'npm ERR! first\n\n   \nnpm ERR! second' } });
  const at = r.said.indexOf('  npm ERR! first');
  assert.equal(r.said.slice(at, at + 2), ['  npm ERR! first', '  npm ERR! second'], r.saidText);
});

before('a port another program holds is named, with what to do, and compose never runs; the stack’s own running containers and Ona’s host-network services are not others', async (ctx) => {
  const squatters = await Promise.all([listen(() => {}), listen(() => {}), listen(() => {})]);
  const [a, b, c] = squatters.map((s) => s.port) as [number, number, number];
  const d = await closedPort();
  try {
    const cli = {
      engine: 'running' as const,
      containers: [
        // On Ona's host network the front end listens itself (no publishers): its own port, not another program's.
        // It also publishes b, which a docker-compose.override.yml may have given it: held by the stack.
        { Name: 'cruddur-frontend-react-js-1', Service: 'frontend-react-js', State: 'running', Env: [], Publishers: [{ URL: '127.0.0.1', TargetPort: 3000, PublishedPort: b, Protocol: 'tcp' }] },
        // A stopped container holds nothing: whatever listens on its port is another program.
        { Name: 'cruddur-backend-flask-ts-1', Service: 'backend-flask-ts', State: 'exited', Env: [], Publishers: [{ URL: '127.0.0.1', TargetPort: 4567, PublishedPort: c, Protocol: 'tcp' }] },
      ],
    };
    const r = await start(ctx, {}, { cli, ports: [[a, 'frontend-react-js'], [b, 'otel-collector'], [c, 'backend-flask-ts'], [d, 'otel-collector']] });
    assert.is(r.code, 1);
    assert.equal(r.verdict!.lines, [
      { ok: false, text: `port ${c} (backend-flask-ts) is already in use by another program: stop it (lsof -i :${c} names it), or publish backend-flask-ts elsewhere in a docker-compose.override.yml` },
    ]);
    assert.is(r.verdict!.mode, 'not started');
    assert.not.ok(r.cli.state().calls!.some((call) => call[2] === 'up'), 'compose up never ran');
    // With no container of the stack, each held port is named, in the stack's order.
    const none = await start(ctx, {}, { ports: [[b, 'frontend-react-js'], [d, 'otel-collector'], [a, 'otel-collector']] });
    assert.equal(none.verdict!.lines.map((l) => l.text.split(' is ')[0]), [`port ${b} (frontend-react-js)`, `port ${a} (otel-collector)`]);
  } finally {
    await Promise.all(squatters.map((s) => s.close()));
  }
});

before('with no ports given, the stack’s own: each port compose publishes, held by another program, is named with its service', async (ctx) => {
  // docker-compose.yml publishes these, on 127.0.0.1: the list the start must check before compose.
  const published = [[3000, 'frontend-react-js'], [4567, 'backend-flask-ts'], [4318, 'otel-collector'], [13133, 'otel-collector'], [8888, 'otel-collector']] as const;
  const squatted: Running[] = [];
  for (const [port] of published) squatted.push(...(await listen(() => {}, port).then((s) => [s], () => [])));
  try {
    assert.ok(squatted.length > 0, 'every port of the stack is already in use on this machine: this test cannot squat any');
    const root = checkout();
    const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
    const said: string[] = [];
    const r = await workspaceStart({ env: { ...cli.env, HOME: root }, root, dir: join(root, '.cruddur', 'start'), say: (l) => said.push(l) });
    const named = r.verdict!.lines.map((l) => l.text.split(' is already')[0]);
    for (const s of squatted) assert.ok(named.includes(`port ${s.port} (${published.find(([p]) => p === s.port)![1]})`), `${s.port}: ${named.join('; ')}`);
    assert.not.ok(cli.state().calls!.some((call) => call[2] === 'up'));
  } finally {
    await Promise.all(squatted.map((s) => s.close()));
  }
});

before('compose up failing: its words in the log, the verdict says the stack did not start and which doctor checks say why; no docker at all says so', async (ctx) => {
  let r = await start(ctx, { REMOTE_CONTAINERS: 'true' }, { cli: { engine: 'running', upFails: 'service "otel-collector" is unhealthy' } });
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (exit 1): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
  assert.match(r.verdictTxt, /^Cruddur workspace start on VS Code Dev Containers, .*: ✘ the stack did not start/);
  assert.ok(r.said.includes('  service "otel-collector" is unhealthy'));
  assert.is(r.verdict!.stackMs, undefined);
  r = await start(ctx, {}, { tools: ['npm'] });
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (docker is not installed): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
  // Killed (the OOM killer's SIGKILL): said as such, not as "exit null".
  r = await start(ctx, {}, { cli: { engine: 'running', upSignal: 'SIGKILL' } });
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (ended by SIGKILL): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
  // A file named docker that is not a program (no execute bit): it could not be run, which is not "not installed".
  const bin = mkdtempSync(join(tmpdir(), 'cruddur-bin-'));
  writeFileSync(join(bin, 'docker'), '#!/bin/sh\n', { mode: 0o644 });
  r = await start(ctx, { PATH: bin });
  assert.equal(r.verdict!.lines, [{ ok: false, text: 'docker compose up failed (docker could not be run: EACCES): its output is above; npm run doctor -- --only workspace,stack says what is missing' }]);
});

before('the page’s service.version: APP_COMMIT as given, else the checkout’s short commit, else nothing', async (ctx) => {
  let r = await start(ctx, {}, { git: true });
  assert.is(r.cli.state().appCommit, execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: r.root }).toString().trim());
  assert.is(r.cli.state().appCommit!.length, 7);
  r = await start(ctx, { APP_COMMIT: 'abc1234' }, { git: true });
  assert.is(r.cli.state().appCommit, 'abc1234');
  r = await start(ctx, {});
  assert.is(r.cli.state().appCommit, '');
});

before('local files: CRUDDUR_LOCAL_FILES=on with this user’s ids saved once; a choice in the environment or in .env is kept', async (ctx) => {
  const r = await start(ctx, {});
  assert.ok(existsSync(join(r.root, '.cruddur', 'telemetry')));
  assert.equal(parseEnv(readFileSync(join(r.root, '.env'), 'utf8')), { CRUDDUR_LOCAL_FILES: 'on', CRUDDUR_UID: String(process.getuid!()), CRUDDUR_GID: String(process.getgid!()) });
  const again = await start(ctx, {}, { root: r.root });
  assert.not.ok(again.said.some((l) => l.includes('saved CRUDDUR_LOCAL_FILES')), 'said once');
  const fromEnv = await start(ctx, { CRUDDUR_LOCAL_FILES: 'off' });
  assert.not.ok(existsSync(join(fromEnv.root, '.env')));
  assert.ok(existsSync(join(fromEnv.root, '.cruddur', 'telemetry')), 'the folder compose mounts is there either way');
  const root = checkout();
  writeFileSync(join(root, '.env'), 'CRUDDUR_LOCAL_FILES=off\n');
  await start(ctx, {}, { root });
  assert.is(readFileSync(join(root, '.env'), 'utf8'), 'CRUDDUR_LOCAL_FILES=off\n');
  // .env that this user may not write (root-owned, say). The tests run as root, who may write
  // any file, so a file of /proc stands in: readable, and refused (EIO) when written.
  const blocked = checkout();
  symlinkSync('/proc/version', join(blocked, '.env'));
  const b = await start(ctx, {}, { root: blocked });
  assert.ok(b.said.some((l) => /^ {2}no local files: \.env could not be written \(E[A-Z]+\)$/.test(l)), b.saidText);
  assert.is(b.code, 0, 'the verdict still comes');
});

before('a start begins a new log, and empties the last verdict until its own (the banner shows the log meanwhile)', async (ctx) => {
  const root = checkout();
  const dir = join(root, '.cruddur', 'start');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'start.log'), 'a line of the last start\n');
  writeFileSync(join(dir, 'verdict.txt'), 'the last verdict\n');
  writeFileSync(join(dir, 'verdict.json'), '{"ok": true}\n');
  const meanwhile: string[] = [];
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  await workspaceStart({
    env: { ...cli.env, HOME: root, FRONTEND_SERVER_URL: ctx.stack.url, OTEL_COLLECTOR_METRICS_URL: `${ctx.stack.url}/metrics`, CHROMIUM_PATH: NO_BROWSER },
    root,
    dir,
    ports: [],
    say: (l) => void (l === '== docker compose up -d --wait' && meanwhile.push(readFileSync(join(dir, 'verdict.txt'), 'utf8'), readFileSync(join(dir, 'verdict.json'), 'utf8'))),
  });
  assert.equal(meanwhile, ['', '']);
  assert.not.match(readFileSync(join(dir, 'start.log'), 'utf8'), /the last start/);
  assert.match(readFileSync(join(dir, 'start.log'), 'utf8'), /^== this machine: starting the stack\n/);
  assert.match(readFileSync(join(dir, 'verdict.txt'), 'utf8'), /✔ the local pipeline works/);
});

before('with no say, the start prints to stdout: the host’s creation log', async (ctx) => {
  const root = checkout();
  const cli = fakeCli({ engine: 'running', containers: [] }, ['docker']);
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => void printed.push(line);
  try {
    await workspaceStart({ env: { ...cli.env, HOME: root, FRONTEND_SERVER_URL: ctx.stack.url, OTEL_COLLECTOR_METRICS_URL: `${ctx.stack.url}/metrics`, CHROMIUM_PATH: NO_BROWSER }, root, dir: join(root, 'start'), ports: [] });
  } finally {
    console.log = log;
  }
  assert.is(printed[0], '== this machine: starting the stack');
  assert.match(printed.at(-1)!, /^Cruddur workspace start on this machine, .*: ✔ the local pipeline works/);
});

// ---------------------------------------------------------------------------------------------
const hosts = section('hosts: the banner, Ona’s port');

hosts('Codespaces: the banner line added to ~/.bashrc once, on a line of its own after what is there, however many starts', async (ctx) => {
  const home = mkdtempSync(join(tmpdir(), 'cruddur-units-home-'));
  // A .bashrc whose last line has no newline: the banner must not join it.
  writeFileSync(join(home, '.bashrc'), "alias ll='ls -l'");
  const r = await start(ctx, { CODESPACES: 'true', HOME: home });
  assert.is(r.verdict!.host, 'codespaces');
  await workspaceStart({ env: { ...r.cli.env, HOME: home, CODESPACES: 'true', FRONTEND_SERVER_URL: ctx.stack.url, OTEL_COLLECTOR_METRICS_URL: `${ctx.stack.url}/metrics`, CHROMIUM_PATH: NO_BROWSER }, root: r.root, dir: r.dir, say: () => {}, ports: [] });
  const rc = readFileSync(join(home, '.bashrc'), 'utf8');
  const line = `[ -f "${r.root}/scripts/start-banner.sh" ] && . "${r.root}/scripts/start-banner.sh" # cruddur: the start's verdict`;
  assert.is(rc.split(line).length - 1, 1, rc);
  assert.ok(rc.split('\n').includes("alias ll='ls -l'") && rc.split('\n').includes(line), rc);
  assert.equal(r.said[0], '== GitHub Codespaces: starting the stack');
});

hosts('a HOME the start cannot write to: no banner, the start goes on and says where the verdict is', async (ctx) => {
  const root = checkout();
  const home = join(root, 'no-such-home');
  const r = await start(ctx, { CODESPACES: 'true', HOME: home }, { root });
  assert.is(r.code, 0, r.saidText);
  assert.ok(r.said.includes(`  could not add the verdict banner to ${home}/.bashrc (ENOENT): cat .cruddur/start/verdict.txt shows it`), r.saidText);
});

const ONA = { GITPOD_ENVIRONMENT_ID: '019cd868-853b-7ed2-9862-a56d5c6d1c78', COMPOSE_FILE: '/workspace/cruddur/docker-compose.yml:/workspace/cruddur/.ona/docker-compose.ona.yml' };

hosts('Ona on its host network: port 3000 opened for its creator with gitpod, else ona, and the URL in the verdict; neither, or a refusal, said with where to open it', async (ctx) => {
  const url = `https://3000--${ONA.GITPOD_ENVIRONMENT_ID}.us-east-1-01.gitpod.dev (asked for its creator only; a runner without port authentication admits anyone with the URL)`;
  let r = await start(ctx, ONA, { tools: ['docker', 'gitpod'] });
  assert.is(r.code, 0, r.saidText);
  assert.is(r.verdict!.frontend, url);
  assert.ok(r.cli.state().calls!.some((c) => c.join(' ') === 'gitpod environment port open 3000 --name frontend-react-js --admission creator_only'));
  assert.match(r.verdictTxt, new RegExp(`\\n {2}open the app: ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  r = await start(ctx, ONA, { tools: ['docker', 'ona'] });
  assert.is(r.verdict!.frontend, url, 'the newer CLI’s name');
  r = await start(ctx, ONA, { tools: ['docker'] });
  assert.is(r.verdict!.frontend, undefined);
  assert.ok(r.said.includes("  could not open port 3000 (neither gitpod nor ona (Ona's CLI) is installed): open it in the environment's Ports panel"), r.saidText);
  r = await start(ctx, ONA, { tools: ['docker', 'gitpod'], cli: { engine: 'running', ona: { portOpenFails: true } } });
  assert.is(r.code, 0, 'the verdict still comes');
  assert.ok(r.said.includes("  could not open port 3000 (error: port sharing is disabled by your organization): open it in the environment's Ports panel"), r.saidText);
  // A refusal that links to the docs: that address is not the app's.
  r = await start(ctx, ONA, { tools: ['docker', 'gitpod'], cli: { engine: 'running', ona: { portOpenFails: 'error: not allowed, see https://ona.com/docs/ona/integrations/ports' } } });
  assert.is(r.verdict!.frontend, undefined);
  // A CLI that opened it and printed no address: said, and no crash.
  r = await start(ctx, ONA, { tools: ['docker', 'gitpod'], cli: { engine: 'running', ona: { portOpenPrints: 'port 3000 opened' } } });
  assert.is(r.verdict!.frontend, undefined);
  assert.ok(r.said.includes("  could not open port 3000 (port 3000 opened): open it in the environment's Ports panel"), r.saidText);
});

hosts('Ona in the default dev container: no port opened, and the verdict says where to open the app; other hosts say nothing of it', async (ctx) => {
  let r = await start(ctx, { GITPOD_ENVIRONMENT_ID: 'env-1' }, { tools: ['docker', 'gitpod'] });
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'gitpod'));
  assert.is(r.verdict!.frontend, "your editor's Ports view (port 3000, forwarded to you); an Ona port URL needs .ona/devcontainer.json (its head says how)");
  r = await start(ctx, { CODESPACES: 'true', COMPOSE_FILE: ONA.COMPOSE_FILE }, { tools: ['docker', 'gitpod'] });
  assert.is(r.verdict!.frontend, undefined);
  assert.not.ok(r.cli.state().calls!.some((c) => c[0] === 'gitpod'));
});

// ---------------------------------------------------------------------------------------------
const remote = section('with a key and credentials: the smoke is the verdict');
remote.before(async (ctx) => {
  ctx.clouds = await startClouds({ minuteMs: 100 });
});
remote.after(async ({ clouds }) => {
  await clouds?.close();
});

remote('each hop a line, confirmed with its evidence or not with its cause; one broken hop fails the verdict; the key never shown', async (ctx) => {
  // The stand-in takes spans as a collector would and delivers nothing: the direct hops are
  // confirmed at the fakes, the ones through the collector and the backend are not.
  const env = ctx.clouds.env({ OTEL_COLLECTOR_URL: ctx.stack.url, BACKEND_URL: ctx.stack.url, FRONTEND_SERVER_URL: ctx.stack.url });
  delete env.PATH;
  delete env.HOME;
  const r = await start(ctx, env, { smokeTimeoutS: 2, smokeOverrides: { pollMs: 20, minuteMs: 100 } });
  const v = r.verdict!;
  assert.is(v.mode, 'remote');
  assert.is(r.code, 1);
  assert.ok(r.said.includes('== the verdict: npm run smoke, every hop'), r.saidText);
  const byHop = new Map(v.lines.map((l) => [l.text.split(':')[0], l]));
  assert.equal([...byHop.keys()], ['honeycomb', 'xray', 'collector', 'backend', 'logs', 'metrics'], v.lines.map((l) => l.text).join('\n'));
  assert.match(byHop.get('honeycomb')!.text, /^honeycomb: confirmed \(.+\)$/);
  assert.is(byHop.get('honeycomb')!.ok, true);
  assert.match(byHop.get('collector')!.text, /^collector: not confirmed: .+ Likely: .+/);
  assert.is(byHop.get('collector')!.ok, false);
  assert.equal(v.notes, [NO_BROWSER_NOTE]);
  assert.is(v.next, undefined);
  assert.match(r.verdictTxt, /: ✘ some hops are broken\n/);
  assert.not.ok((r.saidText + r.log + r.saved).includes(KEYS.enterprise.slice(6)), 'the key is never printed or kept');
});

remote('a collector address that is no URL, and a browser that will not start: each hop’s line says so, with no likely cause for the address and no note', async (ctx) => {
  const env = ctx.clouds.env({ OTEL_COLLECTOR_URL: 'localhost:4318', BACKEND_URL: ctx.stack.url, FRONTEND_SERVER_URL: ctx.stack.url, CHROMIUM_PATH: '/bin/false' });
  delete env.PATH;
  delete env.HOME;
  const r = await start(ctx, env, { smokeTimeoutS: 2, smokeOverrides: { pollMs: 20, minuteMs: 100 } });
  const byHop = new Map(r.verdict!.lines.map((l) => [l.text.split(':')[0], l.text]));
  assert.is(byHop.get('collector'), 'collector: not confirmed: OTEL_COLLECTOR_URL is "localhost:4318" (environment), not an http(s) URL: set it to an address like http://localhost:4318');
  assert.match(byHop.get('browser')!, /^browser: not confirmed: no browser to walk the journey in: .+ Likely: no browser here: the other hops do not need one$/, byHop.get('browser'));
  assert.is(r.verdict!.notes, undefined, 'a browser was found: nothing to note');
});

remote('a key only in .env, echoed back by compose: masked in what the start says, logs and keeps', async (ctx) => {
  const root = checkout();
  writeFileSync(join(root, '.env'), `HONEYCOMB_API_KEY=${KEYS.enterprise}\n`);
  const r = await start(ctx, {}, { root, cli: { engine: 'running', upFails: `invalid interpolation: HONEYCOMB_API_KEY=${KEYS.enterprise}` } });
  assert.is(r.code, 1);
  assert.ok(r.said.some((l) => l.startsWith('  invalid interpolation: HONEYCOMB_API_KEY=') && l.includes('…')), r.saidText);
  assert.not.ok((r.saidText + r.log + r.saved + r.verdictTxt).includes(KEYS.enterprise.slice(6)));
});

remote('a password in FRONTEND_SERVER_URL: the address shown, the password never', async (ctx) => {
  const url = new URL(ctx.stack.url);
  url.username = 'student';
  url.password = 'hunter2-not-a-real-one';
  // Node's fetch refuses a URL with credentials, so the proof fails; what matters here is what is shown.
  const r = await start(ctx, { FRONTEND_SERVER_URL: url.href, OTEL_COLLECTOR_METRICS_URL: `http://127.0.0.1:${await closedPort()}/metrics` });
  assert.match(r.saidText, /student:\*\*\*@/);
  assert.not.ok((r.saidText + r.log + r.saved + r.verdictTxt).includes('hunter2'));
});

// ---------------------------------------------------------------------------------------------
// Last: the OTLP exporter retries a refused connection until its 5-s deadline.
const down = section('the stack down');
down('nothing answers at the front end’s address: both browser hops say so, and which command names the service that is down', async (ctx) => {
  const gone = `http://127.0.0.1:${await closedPort()}`;
  // The whole stack down: the collector's metrics with it.
  const r = await start(ctx, { FRONTEND_SERVER_URL: gone, OTEL_COLLECTOR_METRICS_URL: `${gone}/metrics` });
  assert.is(r.code, 1);
  assert.equal(r.verdict!.lines[0], { ok: false, text: `browser origin → backend: nothing answered at ${gone} (fetch failed): docker compose ps says which service is down` });
  assert.match(r.verdict!.lines[1]!.text, new RegExp(`^browser origin → collector: ${gone}/v1/traces refused it \\(.+\\): docker compose logs otel-collector$`));
  assert.equal(r.verdict!.lines[2], { ok: false, text: `backend → collector: the collector's metrics (${gone}/metrics) did not answer (fetch failed): docker compose logs otel-collector` });
});

verdicts.run();
local.run();
before.run();
hosts.run();
remote.run();
down.run();
