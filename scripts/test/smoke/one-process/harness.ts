// The smoke in one process: the harness of this folder's files. Each file is one part of the
// smoke (hop.ts's helpers, each hop, confirmation at each destination, the runner's verdicts),
// against the cloud fakes alone (testkit/clouds.ts) and a small loopback server standing where
// the collector and the backend would be. One file per part: npm run mutate runs, for each mutant,
// only the files that reach it (bench/mutation/), so a mutant of one hop's words does not wait
// on the confirmations' deadlines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { suite } from 'uvu';
import { closedPort, listen, readBody, type Running } from '../../../../testkit/http.ts';
import type { Settings } from '../../../lib/workspace/settings.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';
import { honeycombPoller, type ConfirmContext } from '../../../smoke/confirm.ts';
import { preflight } from '../../../smoke/preflight.ts';
import { runHops } from '../../../smoke/runner.ts';
import { startClouds, type Clouds } from '../../world.ts';

/** A loopback server whose every answer the test sets, and which remembers what it was sent. */
interface Stub extends Running {
  answer: (req: IncomingMessage, res: ServerResponse) => void;
  seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
}
async function stub(): Promise<Stub> {
  const s = { seen: [], answer: (_req: IncomingMessage, res: ServerResponse) => void res.end('{}') } as unknown as Stub;
  const running = await listen(async (req, res) => {
    const body = (await readBody(req)).toString('latin1');
    s.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    s.answer(req, res);
  });
  return Object.assign(s, running);
}
export const status = (code: number, body = '', headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => (res.writeHead(code, headers), res.end(body));

export interface Ctx {
  clouds: Clouds;
  stub: Stub;
  closed: string;
}
/** No test here waits more than a few seconds: one still running after this is a hang, and fails. */
const LIMIT_MS = 10_000;
const within = <T,>(work: T | Promise<T>, name: string) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`"${name}" still running after ${LIMIT_MS / 1000} s: a hang`)), LIMIT_MS).unref())]);

/** A file's suite, with its own fakes, reset before each test; see guarded for --bail. */
export function section(title: string) {
  const s = suite<Ctx>(`the smoke in one process: ${title}`);
  s.before(async (ctx) => {
    ctx.clouds = await startClouds({ minuteMs: MINUTE });
    ctx.stub = await stub();
    ctx.closed = `http://127.0.0.1:${await closedPort()}`;
  });
  s.after(async ({ clouds, stub }) => {
    await Promise.all([clouds.close(), stub.close()]);
  });
  s.before.each(({ clouds, stub }) => {
    stub.seen.length = 0;
    stub.answer = status(200, '{}');
    clouds.honeycomb.setMode('ok');
    clouds.xray.setIndexingDelay(0);
    clouds.xray.allowAll();
  });
  return Object.assign((name: string, fn: (c: Ctx) => unknown) => s(name, (c) => guarded(fn, c, name)), s);
}

// uvu's --bail stops after a failing suite; here it stops at the first failing test too, so a
// mutant (npm run mutate uses --bail) costs only the time up to the test that catches it.
const BAIL = process.argv.includes('--bail') || process.argv.includes('-b');
let failed = false;
async function guarded(fn: (c: Ctx) => unknown, c: Ctx, name: string): Promise<void> {
  if (failed && BAIL) throw new Error('not run: an earlier test failed (--bail)');
  try {
    await within(fn(c), name);
  } catch (err) {
    failed = true;
    throw err;
  }
}

/** Honeycomb's minute here (the fake's and the poller's): the Query Data API's waits, a tenth of a second. */
export const MINUTE = 100;

export const settingsOf = (c: Ctx, extra: Record<string, string | undefined> = {}) => c.clouds.settings({ OTEL_COLLECTOR_URL: c.stub.url, BACKEND_URL: c.stub.url, ...extra });
export const NO_CLOUDS = { HONEYCOMB_API_KEY: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };

export async function context(settings: Settings, timeoutMs = 2000): Promise<ConfirmContext> {
  const signal = AbortSignal.timeout(timeoutMs);
  const ctx: ConfirmContext = { settings, preflight: await preflight(settings, signal), signal, pollMs: 20, startedMs: performance.now(), timeoutMs };
  if (ctx.preflight.honeycomb?.queryable) ctx.poller = honeycombPoller(ctx, MINUTE);
  return ctx;
}

export async function run(settings: Settings, hops: string[], timeoutMs = 2000) {
  const term = silentTerm();
  const results = await runHops(settings, term, hops as never, timeoutMs, { pollMs: 20, minuteMs: MINUTE });
  return { results, one: results[0]!, output: term.lines.join('\n') };
}
