// The smoke's browser hop: the journey in Debian's Chromium on the production build (served as
// nginx.conf serves it), through the real collector to the Honeycomb and X-Ray fakes; and each
// link broken in turn (the /v1/traces proxy, the SDK's chunk, the traceparent on the way to
// the backend, the collector's CORS for a split-mode page), named by the hop.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFrontend } from '../../../testkit/frontend.ts';
import { closedPort, type Running } from '../../../testkit/http.ts';
import { serveStatic } from '../../../testkit/static-server.ts';
import { setUp } from '../../../testkit/suite-setup.ts';
import type { Settings } from '../../lib/workspace/settings.ts';
import { honeycombPoller, type ConfirmContext } from '../../smoke/confirm.ts';
import { joinedPair } from '../../smoke/confirm-joined.ts';
import { browserHop } from '../../smoke/hops/browser.ts';
import { preflight } from '../../smoke/preflight.ts';
import { startWorld, type World } from '../world.ts';

const MINUTE = 1000; // the world's Honeycomb minute (testkit/clouds.ts)

interface Ctx {
  world: World;
  dist: string;
  sites: Running[];
  setupError?: Error;
}

const t = suite<Ctx>('the smoke’s browser hop');
setUp(
  t,
  async (ctx) => {
    ctx.sites = [];
    ctx.world = await startWorld();
    ctx.dist = await buildFrontend({});
  },
  async (ctx) => {
    await Promise.all(ctx.sites.map((s) => s.close()));
    await ctx.world?.close();
  },
);

/** The build served as the workspace serves it, with a link changed. */
async function site(ctx: Ctx, opts: { dist?: string; collector?: string; dropHeaders?: string[] } = {}): Promise<string> {
  const s = await serveStatic(opts.dist ?? ctx.dist, { '/api/': ctx.world.backend.url, '/v1/traces': opts.collector ?? ctx.world.collector.url }, { dropHeaders: opts.dropHeaders });
  ctx.sites.push(s);
  return s.url;
}

/** The world's settings with this machine's browser (the world has none by default). */
const browserSettings = (ctx: Ctx, extra: Record<string, string>) => ctx.world.settings({ CHROMIUM_PATH: process.env.CHROMIUM_PATH, ...extra });

async function run(settings: Settings, timeoutMs = 8000) {
  const signal = AbortSignal.timeout(timeoutMs);
  const ctx: ConfirmContext = { settings, preflight: await preflight(settings, signal), signal, pollMs: 50, startedMs: performance.now(), timeoutMs, minuteMs: MINUTE };
  if (ctx.preflight.honeycomb?.queryable) ctx.poller = honeycombPoller(ctx, MINUTE);
  const receipt = await browserHop.send(ctx);
  const outcomes = receipt.error ? [] : await browserHop.confirm(ctx, receipt);
  return { receipt, outcomes };
}

t('the journey’s spans, confirmed at both destinations and joined: a backend span the child of the page’s in Honeycomb, one trace holding both services in X-Ray', async (ctx) => {
  const { receipt, outcomes } = await run(browserSettings(ctx, { FRONTEND_SERVER_URL: await site(ctx) }));
  assert.is(receipt.error, undefined, receipt.error);
  assert.match(receipt.smokeId, /^smoke-browser-/);
  assert.match(receipt.traceId, /^[0-9a-f]{32}$/);
  assert.equal(receipt.journey!.steps.map((s) => s.error), [undefined, undefined, undefined, undefined, undefined]);
  assert.equal(outcomes.map((o) => o.ok), [true, true], JSON.stringify(outcomes));
  assert.match(outcomes[0]!.evidence!, /found by smoke id in dataset frontend-react-js \(Query Data API\); joined: in trace [0-9a-f]{32} the backend's "[^"]+" is a child of the page's "[^"]+"/);
  assert.match(outcomes[1]!.evidence!, /joined: trace 1-[0-9a-f]{8}-[0-9a-f]{24} holds frontend-react-js and backend-flask/);
});

t('the front end’s /v1/traces proxy to nowhere: refused, named before any destination is asked', async (ctx) => {
  const url = await site(ctx, { collector: `http://127.0.0.1:${await closedPort()}` });
  const { receipt } = await run(browserSettings(ctx, { FRONTEND_SERVER_URL: url }));
  assert.match(receipt.error ?? '', new RegExp(`^the page's spans were refused: ${url.replace(/[.]/g, '\\.')}/v1/traces answered 502: the front end's proxy to the collector \\(vite\\.config\\.ts under the dev server, nginx\\.conf when built; OTEL_PROXY_TARGET\\) does not reach it`));
});

t('the SDK’s chunk missing: the page never posted, and the chunk is named', async (ctx) => {
  const cut = mkdtempSync(join(tmpdir(), 'cruddur-no-sdk-'));
  cpSync(ctx.dist, cut, { recursive: true });
  for (const f of readdirSync(join(cut, 'assets')).filter((f) => /^sdk-.*\.js$/.test(f))) rmSync(join(cut, 'assets', f));
  const { receipt } = await run(browserSettings(ctx, { FRONTEND_SERVER_URL: await site(ctx, { dist: cut }) }));
  assert.match(receipt.error ?? '', /^the page never posted its spans: its telemetry SDK's chunk \/assets\/sdk-[\w-]+\.js answered 404/);
});

t('a proxy that drops traceparent on the way to the backend: both halves arrive, unjoined, and each destination says so', async (ctx) => {
  const { receipt, outcomes } = await run(browserSettings(ctx, { FRONTEND_SERVER_URL: await site(ctx, { dropHeaders: ['traceparent'] }) }), 6000);
  assert.is(receipt.error, undefined);
  assert.equal(outcomes.map((o) => o.ok), [false, false]);
  assert.match(outcomes[0]!.error!, /^the trace arrived unjoined: the page's spans are in dataset frontend-react-js and \d+ of the backend's in backend-flask, but none of the backend's is a child of the page's: the traceparent header did not reach the backend/);
  assert.match(outcomes[1]!.error!, /no trace of them holds frontend-react-js \(services seen: backend-flask\)/);
});

t('a split-mode page whose origin the collector does not allow (CORS): its posts fail, and FRONTEND_URL is named', async (ctx) => {
  const split = await buildFrontend({ VITE_OTEL_COLLECTOR_URL: ctx.world.collector.url });
  const url = await site(ctx, { dist: split });
  const { receipt } = await run(browserSettings(ctx, { FRONTEND_SERVER_URL: url, VITE_OTEL_COLLECTOR_URL: ctx.world.collector.url }));
  assert.match(receipt.error ?? '', new RegExp(`^the page's posts to the collector failed \\([^)]+\\): the collector's receiver does not allow the page's origin ${url.replace(/[.]/g, '\\.')} \\(its CORS allowed_origins is FRONTEND_URL=`));
});

t('a front end that is not running: the journey stops on its first page, no call made, and the hop says the page did not load (no crash, no trace id)', async (ctx) => {
  const url = `http://127.0.0.1:${await closedPort()}/`;
  const { receipt } = await run(browserSettings(ctx, { FRONTEND_SERVER_URL: url }));
  assert.is(receipt.traceId, '');
  const at = `${url}?smoke_id=${receipt.smokeId}`;
  assert.is(receipt.error, `the journey stopped at "home feed" on ${at}: the page did not load: net::ERR_CONNECTION_REFUSED at ${at}`);
});

t('no browser: not run by default, and when asked for, one line that says how to get one', async (ctx) => {
  const settings = ctx.world.settings({ CHROMIUM_PATH: '/nonexistent/chromium' });
  assert.is(browserHop.configured(settings), false);
  assert.is(browserHop.configured(browserSettings(ctx, {})), true);
  const { receipt } = await run(settings);
  assert.is(receipt.error, 'no browser to walk the journey in: CHROMIUM_PATH=/nonexistent/chromium does not exist: sudo apt-get install -y chromium (Ubuntu: chromium-browser), or set CHROMIUM_PATH to a Chrome or Chromium');
});

t('a journey stopped on its first page: a page that never loaded points at the front end, a feed that never showed at the backend behind the proxy', (ctx) => {
  const settings = ctx.world.settings({});
  const stopped = (error: string) => browserHop.likelyCause({ hop: 'browser', sent: false, confirmed: false, ms: 0, links: {}, error: `the journey stopped at "home feed" on ${settings.frontendServerUrl.value}/?smoke_id=x: ${error}` }, [], settings);
  assert.is(stopped('the page did not load: net::ERR_CONNECTION_REFUSED at http://localhost:3000/'), `the front end is not reachable at ${settings.frontendServerUrl.value}: start it (docker compose up -d frontend-react-js) or set FRONTEND_SERVER_URL`);
  assert.is(stopped('the page loaded, the feed never showed (GET /api/activities/home answered 502): Timeout 45000ms exceeded.'), `the front end's proxy to the backend (API_PROXY_TARGET) or the backend itself: docker compose logs backend-flask-ts frontend-react-js`);
});

t('the join, as rows of one environment-wide query: a backend span whose parent is the page’s, in the same trace, and nothing less', () => {
  const services = { page: 'frontend-react-js', backend: 'backend-flask' };
  const page = { 'service.name': 'frontend-react-js', name: 'GET /api/x', 'trace.trace_id': 't1', 'trace.span_id': 'p1' };
  const server = { 'service.name': 'backend-flask', name: 'GET /api/x', 'trace.trace_id': 't1', 'trace.span_id': 's1', 'trace.parent_id': 'p1' };
  assert.equal(joinedPair([page, server], services), { traceId: 't1', parent: 'GET /api/x', child: 'GET /api/x' });
  assert.is(joinedPair([page, { ...server, 'trace.trace_id': 't2' }], services), undefined, 'another trace');
  assert.is(joinedPair([page, { ...server, 'trace.parent_id': 'p2' }], services), undefined, 'another parent');
  assert.is(joinedPair([{ ...page, 'service.name': 'backend-flask' }, server], services), undefined, 'a parent of the backend’s own');
});

t.run();
