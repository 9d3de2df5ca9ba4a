// The journey the smoke's browser hop and npm run synthetic walk, in Debian's Chromium, on the
// production build behind a proxy as nginx serves it, with the real backend and collector.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { JOURNEY_STEPS, taggedUrl, walkJourney } from '../../../lib/browser/journey.ts';
import { startBackend, type Backend } from '../../../../testkit/backend.ts';
import { launchChromium } from '../../../../testkit/browser.ts';
import { buildFrontend } from '../../../../testkit/frontend.ts';
import { closedPort, listen, readBody, type Running } from '../../../../testkit/http.ts';
import { serveStatic } from '../../../../testkit/static-server.ts';
import { setUp } from '../../../../testkit/suite-setup.ts';
import { startTracePipeline, type TracePipeline } from '../../../../testkit/trace-pipeline.ts';

interface Ctx {
  collector: TracePipeline;
  backend: Backend;
  browser: Browser;
  /** The build served as the workspace serves it. */
  site: Running;
  /** The same build without its SDK chunk (a build cut short, an ad blocker's rule). */
  noSdk: Running;
  /** The same build whose /v1/traces proxy points where nothing listens. */
  noCollector: Running;
  /** The same build whose /api proxy points where nothing listens. */
  noBackend: Running;
  /** The same build without its entry module: a page that loads and never starts. */
  noApp: Running;
  setupError?: Error;
}

const SERVER = 2;
const t = suite<Ctx>('the journey, in a real browser');

setUp(
  t,
  async (ctx) => {
    ctx.collector = await startTracePipeline();
    ctx.backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.collector.url } });
    const dir = await buildFrontend({});
    const cut = mkdtempSync(join(tmpdir(), 'cruddur-no-sdk-'));
    cpSync(dir, cut, { recursive: true });
    for (const f of readdirSync(join(cut, 'assets')).filter((f) => /^sdk-.*\.js$/.test(f))) rmSync(join(cut, 'assets', f));
    ctx.site = await serveStatic(dir, { '/api/': ctx.backend.url, '/v1/traces': ctx.collector.url });
    ctx.noSdk = await serveStatic(cut, { '/api/': ctx.backend.url, '/v1/traces': ctx.collector.url });
    ctx.noCollector = await serveStatic(dir, { '/api/': ctx.backend.url, '/v1/traces': `http://127.0.0.1:${await closedPort()}` });
    const noApp = mkdtempSync(join(tmpdir(), 'cruddur-no-app-'));
    cpSync(dir, noApp, { recursive: true });
    for (const f of readdirSync(join(noApp, 'assets')).filter((f) => /^index-.*\.js$/.test(f))) rmSync(join(noApp, 'assets', f));
    ctx.noApp = await serveStatic(noApp, { '/api/': ctx.backend.url, '/v1/traces': ctx.collector.url });
    ctx.noBackend = await serveStatic(dir, { '/api/': `http://127.0.0.1:${await closedPort()}`, '/v1/traces': ctx.collector.url });
    ctx.browser = await launchChromium();
  },
  async (ctx) => {
    await ctx.browser?.close();
    await ctx.backend?.stop();
    await Promise.all([ctx.site?.close(), ctx.noSdk?.close(), ctx.noCollector?.close(), ctx.noBackend?.close(), ctx.noApp?.close(), ctx.collector?.close()]);
  },
);

t('every step, timed; the page’s load and LCP; its spans posted and taken; both halves tagged and joined', async (ctx) => {
  const smokeId = `smoke-browser-${Date.now().toString(36)}`;
  const report = await walkJourney(ctx.browser, taggedUrl(ctx.site.url, { smokeId }));
  assert.equal(report.steps.map((s) => [s.name, s.error]), JOURNEY_STEPS.map((n) => [n, undefined]));
  assert.ok(report.steps.every((s) => s.ms > 0 && s.ms < 15_000));
  assert.ok(report.loadMs! > 0 && report.lcpMs! > 0, JSON.stringify(report));
  assert.ok(report.spanPosts.length > 0 && report.spanPosts.every((p) => p.status === 200), JSON.stringify(report.spanPosts));
  assert.is(report.sdkFailed, undefined);
  assert.equal(report.pageErrors, []);
  assert.ok(report.apiCalls.some((c) => c.method === 'POST' && /\/reply$/.test(c.path) && c.status === 201 && /^[0-9a-f]{32}$/.test(c.traceId ?? '')), JSON.stringify(report.apiCalls));
  // The crud and the reply reached the backend, in traces the page began.
  const posted = (await ctx.collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities/:uuid/reply', 1, 8000))[0]!;
  assert.is(posted.attributes['app.smoke_id'], smokeId);
  const [parent] = await ctx.collector.waitForSpans((s) => s.spanId === posted.parentSpanId, 1, 8000);
  assert.is(parent!.name, 'POST /api/activities/:uuid/reply', 'the reply’s backend span has the page’s fetch span as its parent');
  assert.is(parent!.resource['app.smoke_id'], smokeId);
  // The page view of the last page came as the journey closed it.
  await ctx.collector.waitForSpans((s) => s.name === 'page view' && s.resource['app.smoke_id'] === smokeId && s.attributes['page.route'] === '/messages', 1, 8000);
});

t('the SDK’s chunk missing: named, and the journey still walks (the app does not need its tracing)', async (ctx) => {
  const report = await walkJourney(ctx.browser, taggedUrl(ctx.noSdk.url, { smokeId: 'smoke-browser-nosdk' }));
  assert.match(report.sdkFailed ?? '', /^\/assets\/sdk-[\w-]+\.js answered 404$/, JSON.stringify(report));
  assert.equal(report.steps.filter((s) => s.error), []);
});

t('a /v1/traces proxy to nowhere: each post’s status says so', async (ctx) => {
  const report = await walkJourney(ctx.browser, taggedUrl(ctx.noCollector.url, { smokeId: 'smoke-browser-noproxy' }));
  assert.ok(report.spanPosts.length > 0, 'the page tried');
  assert.ok(report.spanPosts.every((p) => p.status >= 500), JSON.stringify(report.spanPosts));
});

t('a front end that is not there: the first step fails, saying where, and no step after it runs', async (ctx) => {
  const report = await walkJourney(ctx.browser, `http://127.0.0.1:${await closedPort()}/?smoke_id=x`);
  assert.is(report.steps.length, 1);
  assert.match(report.steps[0]!.error ?? '', /^the page did not load: .*ERR_CONNECTION_REFUSED/);
});

t('a page whose /api proxy reaches nothing: it loaded, the feed never showed, and the feed’s call and its answer are named', async (ctx) => {
  const report = await walkJourney(ctx.browser, taggedUrl(ctx.noBackend.url, { smokeId: 'smoke-browser-noapi' }), { firstPageMs: 4000 });
  assert.is(report.steps.length, 1);
  assert.match(report.steps[0]!.error ?? '', /^the page loaded, the feed never showed \(GET \/api\/activities\/home answered 50\d\): /, JSON.stringify(report.steps));
});

t('a page whose app never starts (its entry module refused): the page never called /api, and the file is named', async (ctx) => {
  const report = await walkJourney(ctx.browser, taggedUrl(ctx.noApp.url, { smokeId: 'smoke-browser-noapp' }), { firstPageMs: 3000 });
  assert.match(report.steps[0]!.error ?? '', /^the page loaded, the feed never showed \(the page never called \/api; \/assets\/index-[\w-]+\.js answered 404[;)].*, reloaded once: /, JSON.stringify(report.steps));
});

t('a first load whose entry module was refused once: one reload at once, the journey walks on, and its first step says what happened', async (ctx) => {
  // The site, but the entry module's first request answers 503, as a server busy for a moment would.
  let refused = 0;
  const flaky = await listen(async (req, res) => {
    if (/^\/assets\/index-[\w-]+\.js$/.test(req.url ?? '') && !refused++) return res.writeHead(503).end();
    try {
      const upstream = await fetch(ctx.site.url + req.url, { method: req.method, headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await readBody(req)) });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? '' }).end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.writeHead(502).end(); // a post still under way as the page closed
    }
  });
  try {
    const report = await walkJourney(ctx.browser, taggedUrl(flaky.url, { smokeId: 'smoke-browser-reload' }), { firstPageMs: 30_000 });
    assert.ok(report.steps[0]!.ms < 15_000, `reloaded as soon as a file failed, not after half the budget (${report.steps[0]!.ms} ms)`);
    assert.equal(report.steps.map((s) => s.error), JOURNEY_STEPS.map(() => undefined), JSON.stringify(report.steps));
    assert.match(report.steps[0]!.note ?? "", /^the first load never started the app \(the page never called \/api; \/assets\/index-[\w-]+\.js answered 503\); a reload did$/, JSON.stringify(report.steps[0]));
    assert.equal(report.steps.slice(1).map((s) => s.note), JOURNEY_STEPS.slice(1).map(() => undefined));
  } finally {
    await flaky.close();
  }
});

t.run();
