// The workspace start in one process: the harness of this folder's files, each one part of the
// start, in seconds, with every branch a student's verdict can take and its exact words. Docker,
// npm and Ona's CLI are testkit/fake-cli.ts; the running stack is one loopback server standing
// where the front end's origin (its /api and /v1/traces proxies) and the collector's metrics would
// be; the remote verdict is the smoke against the cloud fakes. The real pipeline (backend,
// collector, Vite, a browser) is workspace-start.test.ts's. A file per part: npm run mutate runs,
// for each mutant, only the parts that reach it (bench/mutation/).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import { listen, readBody, type Running } from '../../../../testkit/http.ts';
import { fakeCli } from '../../../../testkit/fake-cli.ts';
import { NO_BROWSER, type Clouds } from '../../../../testkit/clouds.ts';
import { canaryTrace } from '../../../lib/otlp/canary.ts';
import { decodeTraces } from '../../../lib/otlp/decode.ts';
import { REPO_ROOT } from '../../../lib/workspace/settings.ts';
import { workspaceStart, type StartOptions } from '../../../workspace-start.ts';

/** What the stand-in stack answers; each test sets what it breaks. */
export interface StackPlan {
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
export interface Stack extends Running {
  plan: StackPlan;
  /** Counts /metrics requests from 1 again. */
  resetMetrics(): void;
  seen: { url: string; headers: IncomingMessage['headers'] }[];
}
export const HEALTHY: StackPlan = { api: { status: 200, body: 'feed' }, traces: 200, metrics: true, backendSpans: 2 };

/** Where the page's origin and the collector's metrics would be, counting spans as otelcol does. */
export async function standInStack(): Promise<Stack> {
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
export function checkout(opts: { git?: boolean; depsCurrent?: boolean } = {}): string {
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

export type Tool = Parameters<typeof fakeCli>[1] extends (infer T)[] | undefined ? T : never;

export async function start(ctx: Ctx, env: Record<string, string | undefined>, opts: Partial<StartOptions> & { git?: boolean; depsCurrent?: boolean; cli?: Parameters<typeof fakeCli>[0]; tools?: Tool[]; root?: string } = {}) {
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

export interface Ctx {
  stack: Stack;
  clouds: Clouds;
}

/** No test here waits more than seconds: one still running after this is a hang, and fails. */
const LIMIT_MS = 15_000;
const BAIL = process.argv.includes('--bail') || process.argv.includes('-b');
let failed = false;
export function section(title: string) {
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

export const LOCAL_LINES = (ctx: Ctx, accepted: number) => [
  { ok: true, text: `browser origin → backend: ${ctx.stack.url}/api answered 200 with the home feed` },
  { ok: true, text: `browser origin → collector: ${ctx.stack.url}/v1/traces took a span` },
  { ok: true, text: `backend → collector: the collector accepted ${accepted} spans, the backend's among them` },
];
export const CANARY_SPANS = canaryTrace('backend-flask', 'start').spans.length;
export const NO_BROWSER_NOTE = `browser: not walked: no browser here (CHROMIUM_PATH=${NO_BROWSER} does not exist): sudo apt-get install -y chromium (Ubuntu: chromium-browser), or set CHROMIUM_PATH to a Chrome or Chromium`;
