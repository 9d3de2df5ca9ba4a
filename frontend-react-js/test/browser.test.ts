import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReceivedSpan } from '../../scripts/lib/otlp/decode.ts';
import { BOARD_QUERIES } from '../../scripts/lib/honeycomb/board.ts';
import { columnTypeMismatches, missingColumns } from '../../testkit/honeycomb-columns.ts';
import { startBackend, type Backend } from '../../testkit/backend.ts';
import { launchChromium } from '../../testkit/browser.ts';
import { buildFrontend, startDevServer } from '../../testkit/frontend.ts';
import { closedPort, waitFor, type Running } from '../../testkit/http.ts';
import { startTracePipeline, type TracePipeline } from '../../testkit/trace-pipeline.ts';
import { serveStatic } from '../../testkit/static-server.ts';
import { setUp } from '../../testkit/suite-setup.ts';
import { closeTracedSite, startTracedSite, type TracedSite } from '../../testkit/traced-site.ts';
import { startGate } from '../../testkit/gate.ts';

interface Ctx {
  browser: Browser;
  site: Running;
  collector: TracePipeline;
  backend: Backend;
  page: Page;
  consoleLines: string[];
  /** "METHOD origin" of every request the page made. */
  origins: Set<string>;
  /** Why the visit could not be made (no Chromium, a failed build): every test fails with it. */
  setupError?: Error;
}

const FRONTEND = 'frontend-react-js';
// The build names its commit where it has one (vite.config.ts): a checkout here, none in a bare copy.
const VERSION = (() => {
  try {
    return `0.1.0+${execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()}`;
  } catch {
    return '0.1.0';
  }
})();
const SERVER = 2;
const t = suite<Ctx>('the front end in headless Chromium');

setUp(t, visit, closeTracedSite);

async function visit(ctx: Ctx) {
  // One origin, as in the workspace: the page's server proxies /api and /v1/traces (nginx in prod).
  await startTracedSite(ctx);
  ctx.page = await ctx.browser.newPage();
  ctx.consoleLines = [];
  ctx.origins = new Set();
  ctx.page.on('console', (m) => ctx.consoleLines.push(`${m.type()}: ${m.text()}`));
  ctx.page.on('request', (r) => ctx.origins.add(`${r.method()} ${new URL(r.url()).origin}`));

  await ctx.page.goto(ctx.site.url);
  await ctx.page.getByTestId('activity').first().waitFor();
  await ctx.page.getByRole('link', { name: 'Notifications' }).click();
  await ctx.page.getByText('I am white unicorn').waitFor();
  await ctx.page.getByRole('link', { name: 'Profile' }).click();
  await ctx.page.getByText('Cloud is fun!').waitFor();
  // The visit's slowest interaction, on this page: a click that keeps the main thread 300 ms
  // (INP must name this page and this element, not the page the visit began on).
  await ctx.page.evaluate(() => document.querySelector('h1')!.addEventListener('click', () => {
    for (const until = performance.now() + 300; performance.now() < until; );
  }));
  await ctx.page.locator('h1').click();
  await ctx.page.getByRole('link', { name: 'Home' }).click();
  await ctx.page.getByRole('textbox', { name: 'What would you like to say?' }).fill('Tracing works!');
  await ctx.page.getByRole('button', { name: 'Crud', exact: true }).click();
  await ctx.page.getByText('Tracing works!').waitFor();
  // An uncaught error just after a click, as a bug in the click's handler would throw.
  await ctx.page.getByRole('button', { name: 'Like (5 likes)' }).click();
  await ctx.page.evaluate(() => void setTimeout(function failingHandler() {
    throw new TypeError('deliberate: the test throws this');
  }, 0));
  // A search by Enter in the box, with no click: an interaction all the same.
  await ctx.page.getByRole('searchbox', { name: 'Search Cruddur' }).fill('cloud');
  await ctx.page.getByRole('searchbox', { name: 'Search Cruddur' }).press('Enter');
  await ctx.page.getByRole('heading', { name: 'Search: cloud' }).waitFor();
  // The last batch leaves within a second; then closing the page settles INP and CLS, and ends
  // the last page view, which must be flushed as the page goes.
  await ctx.collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'POST /api/activities', 1, 8000);
  await ctx.page.close({ runBeforeUnload: true });
}

const browserSpan = (c: TracePipeline, match: (s: ReceivedSpan) => boolean) =>
  c.waitForSpans((s) => s.resource['service.name'] === FRONTEND && match(s), 1, 8000).then((s) => s[0]!);
const backendServer = (c: TracePipeline, route: string, method = 'GET') =>
  c.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === route && s.attributes['http.request.method'] === method, 1, 8000);

t('document load arrives with navigation and resource timing spans', async ({ collector }) => {
  const load = await browserSpan(collector, (s) => s.name === 'documentLoad');
  const children = collector.spans.filter((s) => s.parentSpanId === load.spanId).map((s) => s.name);
  assert.ok(children.includes('documentFetch'), children.join());
  assert.ok(children.includes('resourceFetch'), children.join());
  // The page's own fetches have their spans: not again as resources.
  const resources = collector.spans.filter((s) => s.parentSpanId === load.spanId && s.name === 'resourceFetch').map((s) => new URL(String(s.attributes['url.full'])).pathname);
  assert.ok(resources.some((p) => p.startsWith('/assets/')), resources.join());
  assert.equal(resources.filter((p) => p.startsWith('/api/') || p === '/v1/traces'), [], resources.join());
  assert.equal([load.attributes['page.path'], load.attributes['page.route']], ['/', '/']);
});

t('Enter in the search box is one trace: the submit -> navigate /search -> fetch -> backend; the same page with a new query is a navigation, not a page view', async ({ collector }) => {
  const submit = await browserSpan(collector, (s) => s.name === 'submit');
  assert.equal([submit.attributes.event_type, submit.attributes['app.action']], ['submit', 'search'], 'the form’s role names it');
  const nav = await browserSpan(collector, (s) => s.name === 'navigate /search');
  assert.is(nav.parentSpanId, submit.spanId);
  assert.is(nav.attributes['navigation.to'], '/search?term=cloud');
  const search = await browserSpan(collector, (s) => s.name === 'GET /api/activities/search');
  assert.is(search.parentSpanId, nav.spanId);
  const [server] = await backendServer(collector, '/api/activities/search');
  assert.is(server!.parentSpanId, search.spanId);
});

t('the landing is one trace: load / -> documentLoad, the first data fetch -> the backend, and the first page view', async ({ collector }) => {
  const load = await browserSpan(collector, (s) => s.name === 'load /');
  assert.is(load.parentSpanId, '', 'the root');
  assert.equal([load.attributes['page.route'], load.attributes['aws.local.service']], ['/', FRONTEND]);
  assert.type(load.attributes['document.response_start_ms'], 'number');
  const doc = await browserSpan(collector, (s) => s.name === 'documentLoad');
  assert.equal([doc.traceId, doc.parentSpanId], [load.traceId, load.spanId], 'document-load’s spans under it (the page’s traceparent meta)');
  const home = await browserSpan(collector, (s) => s.name === 'GET /api/activities/home' && s.traceId === load.traceId);
  assert.is(home.parentSpanId, load.spanId);
  const [server] = await collector.waitForSpans((s) => s.kind === SERVER && s.parentSpanId === home.spanId, 1, 8000);
  assert.is(server!.traceId, load.traceId, 'and the backend’s');
  const view = await browserSpan(collector, (s) => s.name === 'page view' && s.traceId === load.traceId);
  assert.equal([view.parentSpanId, view.attributes['page.route']], [load.spanId, '/']);
});

t('the backend’s request span has the trace id of the browser’s fetch span, as its child', async ({ collector }) => {
  const fetchSpan = await browserSpan(collector, (s) => s.name === 'GET /api/activities/home');
  const servers = await backendServer(collector, '/api/activities/home');
  const joined = servers.find((s) => s.traceId === fetchSpan.traceId);
  assert.ok(joined, `no backend span in trace ${fetchSpan.traceId}`);
  assert.is(joined!.parentSpanId, fetchSpan.spanId);
});

t('a click is one trace: click -> navigation -> fetch -> backend', async ({ collector }) => {
  const click = await browserSpan(collector, (s) => s.name === 'click' && s.attributes['target.text'] === 'Notifications');
  assert.is(click.attributes.target_element, 'A');
  const nav = await browserSpan(collector, (s) => s.name === 'navigate /notifications');
  assert.is(nav.parentSpanId, click.spanId);
  assert.is(nav.attributes['navigation.from'], '/');
  const fetchSpan = await browserSpan(collector, (s) => s.name === 'GET /api/activities/notifications');
  assert.is(fetchSpan.parentSpanId, nav.spanId);
  const [server] = await backendServer(collector, '/api/activities/notifications');
  assert.is(server!.traceId, click.traceId);
  assert.is(server!.parentSpanId, fetchSpan.spanId);
  // X-Ray names the click's segment by the service, not "click" (aws.local.service on a local root).
  assert.equal([click.attributes['aws.span.kind'], click.attributes['aws.local.service']], ['LOCAL_ROOT', FRONTEND]);
  assert.equal([nav.attributes['aws.span.kind'], fetchSpan.attributes['aws.local.service']], [undefined, undefined], 'only the root');
});

t('posting is one trace: the button’s click -> POST -> the backend', async ({ collector }) => {
  const click = await browserSpan(collector, (s) => s.name === 'click' && s.attributes['target.text'] === 'Crud');
  const post = await browserSpan(collector, (s) => s.name === 'POST /api/activities');
  assert.is(post.parentSpanId, click.spanId);
  const [server] = await backendServer(collector, '/api/activities', 'POST');
  assert.is(server!.traceId, click.traceId);
});

t('one span per SPA navigation, named for the route pattern', async ({ collector }) => {
  await browserSpan(collector, (s) => s.name === 'navigate /');
  const names = collector.spans.filter((s) => s.name.startsWith('navigate ')).map((s) => s.name).sort();
  assert.equal(names, ['navigate /', 'navigate /@:handle', 'navigate /notifications', 'navigate /search']);
});

t('spans carry the page, route, session, browser, screen and app version', async ({ collector }) => {
  const fetchSpan = await browserSpan(collector, (s) => String(s.attributes['url.full']).endsWith('/api/activities/@andrewbrown'));
  assert.is(fetchSpan.attributes['page.path'], '/@andrewbrown');
  assert.is(fetchSpan.attributes['page.route'], '/@:handle');
  assert.match(String(fetchSpan.attributes['session.id']), /^[0-9a-f]{16}$/);
  const r = fetchSpan.resource;
  assert.is(r['service.name'], FRONTEND);
  // The package's version and the commit the build came from: which code made the span.
  assert.is(r['service.version'], VERSION);
  assert.match(String(r['browser.name']), /Chrom/);
  assert.match(String(r['browser.version']), /^\d+/);
  assert.is(r['screen.width'], 1280);
  // The window as the span began: Playwright's default viewport, at 1×.
  assert.equal([fetchSpan.attributes['browser.width'], fetchSpan.attributes['browser.height'], fetchSpan.attributes['screen.device_pixel_ratio']], [1280, 720, 1]);
  assert.is(r['deployment.environment.name'], 'production');
  assert.is(r['app.origin_mode'], 'one-origin');
  const sessions = new Set(collector.spans.filter((s) => s.resource['service.name'] === FRONTEND).map((s) => s.attributes['session.id']));
  assert.is(sessions.size, 1, 'one session for the whole visit');
});

t('every span carries the signed-in user’s handle, from the mock session', async ({ collector }) => {
  await browserSpan(collector, (s) => s.name === 'POST /api/activities');
  const spans = collector.spans.filter((s) => s.resource['service.name'] === FRONTEND);
  assert.equal([...new Set(spans.map((s) => s.attributes['app.user_handle']))], ['andrewbrown']);
});

t('an uncaught error is a js-error span, with its type and message, and the browser’s name and version', async ({ collector }) => {
  const error = await browserSpan(collector, (s) => s.name === 'js-error');
  assert.is(error.attributes['exception.type'], 'TypeError');
  assert.is(error.attributes['exception.message'], 'deliberate: the test throws this');
  // Status ERROR, what Honeycomb's error field and filters read; in the trace of the click just before.
  assert.equal(error.status, { code: 2, message: 'deliberate: the test throws this' });
  const like = await browserSpan(collector, (s) => s.name === 'click' && s.attributes['app.action'] === 'like');
  assert.equal([error.traceId, error.parentSpanId], [like.traceId, like.spanId], 'the click’s child');
  assert.match(String(error.attributes['exception.stacktrace']), /failingHandler/, 'which function failed');
  assert.is(error.attributes['app.action'], 'like', 'what the person had just done');
  assert.match(String(error.resource['browser.name']), /Chrom/);
  assert.match(String(error.resource['browser.version']), /^\d+/);
});

t('each page view is a span with its visible time, the last one flushed as the page closes', async ({ collector }) => {
  const views = await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'page view', 5, 8000);
  assert.equal(views.map((v) => v.attributes['page.route']), ['/', '/notifications', '/@:handle', '/', '/search']);
  for (const v of views) {
    assert.type(v.attributes['page.visible_ms'], 'number');
    assert.ok(Math.abs(Number(v.attributes['page.visible_ms']) - v.durationMs) < 50, `visible ${v.attributes['page.visible_ms']} ms of ${v.durationMs} ms open, all of it in the foreground`);
  }
  // The first is the landing's (its trace); each later one a root of its own.
  const load = await browserSpan(collector, (s) => s.name === 'load /');
  assert.equal(views.map((v) => v.parentSpanId), [load.spanId, '', '', '', '']);
});

t('the week’s board queries for the front end name only columns these spans have in Honeycomb', async ({ collector }) => {
  await browserSpan(collector, (s) => s.name === 'page view');
  await browserSpan(collector, (s) => s.name === 'web-vital LCP');
  const spans = collector.spans.filter((s) => s.resource['service.name'] === FRONTEND);
  assert.equal(missingColumns(BOARD_QUERIES, 'frontend', spans), {});
  assert.equal(columnTypeMismatches('frontend', BOARD_QUERIES, spans), {}, 'the columns the board makes ahead of the data have the types these spans give them');
});

t('fetch spans are named by method and route template, as the backend names its own', async ({ collector }) => {
  const user = await browserSpan(collector, (s) => String(s.attributes['url.full']).endsWith('/api/activities/@andrewbrown'));
  assert.is(user.name, 'GET /api/activities/@:handle');
  assert.is(user.attributes['url.template'], '/api/activities/@:handle');
  const [server] = await backendServer(collector, '/api/activities/@:handle');
  assert.is(user.name, server!.name, 'the browser’s span and the backend’s read the same');
});

t('trace ids are X-Ray compatible', async ({ collector }) => {
  const load = await browserSpan(collector, (s) => s.name === 'documentLoad');
  assert.ok(Math.abs(parseInt(load.traceId.slice(0, 8), 16) - Date.now() / 1000) < 300);
});

t('web vitals arrive as spans with value and rating', async ({ collector }) => {
  const lcp = await browserSpan(collector, (s) => s.name === 'web-vital LCP');
  assert.is(typeof lcp.attributes['web_vital.value'], 'number');
  // Measured on the page the visit started on, whatever page was open when it was reported.
  assert.equal([lcp.attributes['page.route'], lcp.attributes['page.path']], ['/', '/']);
  assert.match(String(lcp.attributes['web_vital.rating']), /^(good|needs-improvement|poor)$/);
  await browserSpan(collector, (s) => s.name === 'web-vital CLS');
  // INP names the page and the element of the slowest interaction: the 300 ms click on the profile's heading.
  const inp = await browserSpan(collector, (s) => s.name === 'web-vital INP');
  assert.ok(Number(inp.attributes['web_vital.value']) >= 300, String(inp.attributes['web_vital.value']));
  assert.equal([inp.attributes['page.route'], inp.attributes['page.path']], ['/@:handle', '/@andrewbrown']);
  assert.match(String(inp.attributes['web_vital.target']), /^#page-heading/, JSON.stringify(inp.attributes)); // web-vitals' selector: the heading's id
  assert.is(inp.attributes['web_vital.interaction_type'], 'pointer');
});

t('the page talks only to its own origin: no other host, no CORS preflight', async ({ site, origins }) => {
  assert.equal([...origins].sort(), [`GET ${site.url}`, `POST ${site.url}`]);
});

t('the browser exports OTLP JSON with no key, and logs no errors', async ({ collector, consoleLines }) => {
  const fromBrowser = collector.requests.filter((r) => r.headers.origin);
  assert.ok(fromBrowser.length > 0);
  for (const r of fromBrowser) {
    assert.is(r.headers['x-honeycomb-team'], undefined);
    assert.is(r.contentType, 'application/json');
  }
  assert.not.ok(consoleLines.some((l) => l.startsWith('error')), consoleLines.join('\n'));
});

t.run();

const failure = suite('when things are down');

failure('with the collector down the page works, and says so once on the console', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-site-'));
  const backend = await startBackend({ traced: false });
  const site = await serveStatic(dir, { '/api/': backend.url, '/v1/traces': `http://127.0.0.1:${await closedPort()}` });
  const browser = await launchChromium();
  try {
    await buildFrontend({}, dir);
    const page = await browser.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(site.url);
    await page.getByTestId('activity').first().waitFor();
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByText('I am white unicorn').waitFor();
    // The exporter gives a batch 2 s (with its retries) before it reports the failure.
    const tracing = () => warnings.filter((w) => w.startsWith('[tracing]'));
    await waitFor(() => (tracing().length ? true : undefined), 15_000, 'the tracing warning');
    // More batches fail after the warning (each a 502 from the page's proxy, between pauses): still one warning.
    // Use the page past the exporter's first pause (5 s), so another batch is tried and fails.
    let after = 0;
    page.on('request', (r) => r.url().endsWith('/v1/traces') && after++);
    for (let i = 0; i < 10 && after === 0; i++) {
      await page.getByRole('link', { name: i % 2 ? 'Notifications' : 'Home' }).click();
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(after > 0, 'another export was tried after the warning');
    await new Promise((r) => setTimeout(r, 2500)); // its retries and their failure
    assert.is(tracing().length, 1, warnings.join('\n'));
    assert.match(tracing()[0]!, /spans are not reaching the collector at http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(Export failed with retryable status\)\. Is it running .*npm run doctor/);
    assert.not.match(tracing()[0]!, /stack|\{/, 'words, not the error as JSON with its stack');
    assert.ok(await page.getByTestId('activity').first().isVisible(), 'the page kept working');
  } finally {
    await browser.close();
    await backend.stop();
    await site.close();
  }
});

failure('with the collector down the page backs off instead of posting every batch, and sends again once it is back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-site-'));
  const backend = await startBackend({ traced: false });
  // The page's proxy reaches the collector through a gate: shut, it answers 502 as the proxy
  // does with nothing listening; opened, the real collector is there.
  const collector = await startTracePipeline();
  const path = await startGate(collector.url, { closedAnswer: { status: 502, body: 'Bad Gateway', contentType: 'text/plain' } });
  path.setOpen(false);
  const site = await serveStatic(dir, { '/api/': backend.url, '/v1/traces': path.url });
  const browser = await launchChromium();
  try {
    await buildFrontend({}, dir);
    const page = await browser.newPage();
    let posts = 0;
    page.on('request', (r) => r.url().endsWith('/v1/traces') && posts++);
    await page.goto(site.url);
    await page.getByTestId('activity').first().waitFor();
    // 12 s of use, a navigation a second: a batch is ready every second.
    for (let i = 0; i < 12; i++) {
      await page.getByRole('link', { name: i % 2 ? 'Home' : 'Notifications' }).click();
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(posts <= 5, `${posts} export attempts in 12 s with the collector down`);
    // Back: a later attempt gets through, and spans flow again.
    path.setOpen(true);
    for (let i = 0; i < 40 && !collector.spans.some((s) => s.resource['service.name'] === FRONTEND); i++) {
      await page.getByRole('link', { name: i % 2 ? 'Home' : 'Notifications' }).click();
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(collector.spans.some((s) => s.resource['service.name'] === FRONTEND), 'spans arrive once the collector is back');
  } finally {
    await browser.close();
    await backend.stop();
    await Promise.all([site.close(), path.close(), collector.close()]);
  }
});

/** The built page behind its proxy, with a traced backend and a collector on loopback. */
async function tracedScene(body: (scene: { page: Page; collector: TracePipeline; siteUrl: string }) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-site-'));
  const collector = await startTracePipeline();
  const backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } });
  const site = await serveStatic(dir, { '/api/': backend.url, '/v1/traces': collector.url });
  const browser = await launchChromium();
  try {
    await buildFrontend({}, dir);
    await body({ page: await browser.newPage(), collector, siteUrl: site.url });
  } finally {
    await browser.close();
    await backend.stop();
    await Promise.all([site.close(), collector.close()]);
  }
}

failure('a fetch that fails on the network is an error span, so an errors query finds it', () =>
  tracedScene(async ({ page, collector, siteUrl }) => {
    // The connection is refused before any answer: what a split-mode page sees with the API down.
    await page.route('**/api/activities/home', (route) => route.abort('connectionrefused'));
    await page.goto(siteUrl);
    await page.getByRole('alert').waitFor();
    const [span] = await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'GET /api/activities/home', 1, 10_000);
    assert.is(span!.status.code, 2, 'status error');
    assert.is(span!.attributes['error.type'], 'TypeError');
  }),
);

failure('“Try again” is one trace: the click, then the fetch it causes, then the backend', () =>
  tracedScene(async ({ page, collector, siteUrl }) => {
    // The first load fails on the network; the retry reaches the backend.
    await page.route('**/api/activities/home', (route) => route.abort('connectionrefused'), { times: 1 });
    await page.goto(siteUrl);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('activity').first().waitFor();
    const [click] = await collector.waitForSpans((s) => s.name === 'click' && s.attributes['target.text'] === 'Try again', 1, 10_000);
    const fetches = await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'GET /api/activities/home' && s.status.code !== 2, 1, 10_000);
    assert.is(fetches[0]!.traceId, click!.traceId, 'the retry’s fetch is in the click’s trace');
    assert.is(fetches[0]!.parentSpanId, click!.spanId);
    const [server] = await collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities/home', 1, 10_000);
    assert.is(server!.traceId, click!.traceId);
  }),
);

failure('a page left as soon as its data shows still sends its fetch span, so the backend’s span has its parent', () =>
  tracedScene(async ({ page, collector, siteUrl }) => {
    await page.goto(siteUrl);
    await page.getByTestId('activity').first().waitFor();
    // Within the 300 ms the fetch instrumentation waits for resource timing before it ends the span.
    await page.goto('about:blank');
    const [server] = await collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities/home', 1, 10_000);
    const [fetchSpan] = await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'GET /api/activities/home', 1, 10_000);
    assert.is(server!.parentSpanId, fetchSpan!.spanId);
    assert.ok(fetchSpan!.durationMs < 5000, `ended at the answer, not at the flush (${fetchSpan!.durationMs} ms)`);
  }),
);

failure('with the backend down behind the proxy the page says what a user can do and offers a retry; the console says what is down', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-site-'));
  const site = await serveStatic(dir, { '/api/': `http://127.0.0.1:${await closedPort()}` });
  const browser = await launchChromium();
  try {
    await buildFrontend({ VITE_TRACING: 'off' }, dir);
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(site.url);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    // The page speaks to the person using it; the developer's detail is in the console.
    const said = await alert.innerText();
    assert.match(said, /Cruddur can’t reach its server right now\. Try again in a moment\./);
    assert.not.match(said, /proxy|docker|502|backend/i);
    assert.ok(await page.getByRole('button', { name: 'Try again' }).isVisible());
    assert.ok(
      consoleErrors.some((e) => /\[api\] GET .*\/api\/activities\/home: the front end's proxy answered 502, so the backend is not answering: docker compose ps/.test(e)),
      consoleErrors.join('\n'),
    );
  } finally {
    await browser.close();
    await site.close();
  }
});

failure.run();

// The SDK loads after the first page has its data (src/telemetry/tracing.ts). Its chunk is
// held back here, so the first page's fetch, a click and a navigation happen before it exists.
const early = suite<Partial<TracedSite> & { setupError?: Error } & TracedSite>('before the SDK has loaded');
setUp(early, startTracedSite, closeTracedSite);

/** A page whose SDK chunk is held until release() (never, if not called); when it was asked for. */
async function heldSdk(browser: Browser) {
  const page = await browser.newPage();
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let askedAt: number | undefined;
  await page.route(/\/assets\/sdk-[\w-]+\.js$/, async (route) => {
    askedAt = Date.now();
    await released;
    await route.continue().catch(() => {});
  });
  return { page, release, askedAt: () => askedAt };
}

early('the first fetch starts before the SDK has loaded, keeps its ids and times, and is the backend span’s parent', async ({ browser, site, collector }) => {
  const { page, release, askedAt } = await heldSdk(browser);
  const opened = Date.now();
  await page.goto(site.url);
  await page.getByTestId('activity').first().waitFor();
  await waitFor(async () => askedAt(), 5000, 'the SDK chunk to be asked for');
  await page.waitForTimeout(300);
  const heldUntil = Date.now();
  release();
  const [fetchSpan] = await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'GET /api/activities/home', 1, 10_000);
  assert.ok(fetchSpan!.startMs >= opened - 5 && fetchSpan!.endMs <= askedAt()!, `the fetch (${fetchSpan!.startMs}..${fetchSpan!.endMs}) ran before the SDK was asked for (${askedAt()})`);
  assert.ok(fetchSpan!.endMs < heldUntil, 'its end is when it answered, not when the SDK made it a span');
  assert.ok(fetchSpan!.durationMs < 2000, `${fetchSpan!.durationMs} ms`);
  const [server] = await backendServer(collector, '/api/activities/home');
  const joined = (await collector.waitForSpans((s) => s.kind === SERVER && s.traceId === fetchSpan!.traceId, 1, 8000))[0];
  assert.ok(server && joined, 'the backend’s span is in the fetch’s trace');
  assert.is(joined!.parentSpanId, fetchSpan!.spanId);
  assert.is(fetchSpan!.attributes['page.route'], '/');
  assert.is(fetchSpan!.attributes['http.response.status_code'], 200);
  assert.is(fetchSpan!.attributes['app.user_handle'], 'andrewbrown');
  // Its trace is the landing's (it is the landing's child): X-Ray compatible, from when the page was opened.
  assert.ok(Math.abs(parseInt(fetchSpan!.traceId.slice(0, 8), 16) - opened / 1000) < 2, 'an X-Ray-compatible trace id, from when the landing began');
  await page.close({ runBeforeUnload: true });
});

early('a click and its navigation before the SDK has loaded are still one trace: click -> navigation -> fetch -> backend', async ({ browser, site, collector }) => {
  const { page, release, askedAt } = await heldSdk(browser);
  await page.goto(site.url);
  await page.getByTestId('activity').first().waitFor();
  await waitFor(async () => askedAt(), 5000, 'the SDK chunk to be asked for');
  await page.getByRole('link', { name: 'Messages' }).click();
  await page.getByText('Qapla!').waitFor();
  const releasedAt = Date.now();
  release();
  const click = (await collector.waitForSpans((s) => s.name === 'click' && s.attributes['target.text'] === 'Messages', 1, 10_000))[0]!;
  assert.ok(click.startMs < releasedAt, 'the click was made before the SDK came');
  const nav = (await collector.waitForSpans((s) => s.name === 'navigate /messages', 1, 8000))[0]!;
  const groups = (await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'GET /api/message_groups' && s.traceId === click.traceId, 1, 8000))[0]!;
  assert.is(nav.parentSpanId, click.spanId);
  assert.is(groups.parentSpanId, nav.spanId);
  assert.ok(click.endMs <= askedAt()! + 5000 && nav.startMs >= click.startMs, 'their own times');
  const server = (await collector.waitForSpans((s) => s.kind === SERVER && s.traceId === click.traceId, 1, 8000))[0]!;
  assert.is(server.parentSpanId, groups.spanId);
  // The SDK came on /messages: its document load still names the document loaded, the home page.
  const load = (await collector.waitForSpans((s) => s.name === 'documentLoad' && s.attributes['session.id'] === click.attributes['session.id'], 1, 8000))[0]!;
  assert.equal([load.attributes['page.path'], load.attributes['page.route'], load.attributes['url.full']], ['/', '/', `${site.url}/`]);
  await page.close({ runBeforeUnload: true });
});

early('a page left before the SDK has loaded sends what it recorded: the fetch span and the page view arrive', async ({ browser, site, collector }) => {
  const { page, askedAt } = await heldSdk(browser);
  await page.goto(site.url + '/notifications');
  await page.getByText('I am white unicorn').waitFor();
  await waitFor(async () => askedAt(), 5000, 'the SDK chunk to be asked for');
  await page.goto('about:blank'); // the SDK never came
  const [fetchSpan] = await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'GET /api/activities/notifications', 1, 10_000);
  assert.is(fetchSpan!.resource['service.version'], VERSION);
  assert.match(String(fetchSpan!.resource['browser.name']), /Chrom/);
  const view = (await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.name === 'page view' && s.attributes['page.route'] === '/notifications', 1, 8000))[0]!;
  assert.type(view.attributes['page.visible_ms'], 'number');
  // The landing and the page's LCP came too, though the SDK never did: the trace has its root.
  const load = (await collector.waitForSpans((s) => s.name === 'load /notifications' && s.traceId === fetchSpan!.traceId, 1, 8000))[0]!;
  assert.is(fetchSpan!.parentSpanId, load.spanId);
  const lcp = (await collector.waitForSpans((s) => s.name === 'web-vital LCP' && s.attributes['session.id'] === fetchSpan!.attributes['session.id'], 1, 8000))[0]!;
  assert.equal([lcp.attributes['page.path'], typeof lcp.attributes['web_vital.value']], ['/notifications', 'number']);
  const server = (await collector.waitForSpans((s) => s.kind === SERVER && s.traceId === fetchSpan!.traceId, 1, 8000))[0]!;
  assert.is(server.parentSpanId, fetchSpan!.spanId);
  await page.close();
});

early.run();

// npm run smoke and npm run synthetic open the app with their run's id in the address.
const tagged = suite<Partial<TracedSite> & { setupError?: Error } & TracedSite>('a scripted run’s tags');
setUp(tagged, startTracedSite, closeTracedSite);

tagged('?smoke_id= tags every span of the tab, through a reload, and the backend’s spans by baggage; a user’s traffic is app.traffic=user', async ({ browser, site, collector }) => {
  const id = `smoke-browser-${Date.now().toString(36)}`;
  const page = await browser.newPage();
  await page.goto(`${site.url}/?smoke_id=${id}`);
  await page.getByTestId('activity').first().waitFor();
  await page.reload();
  await page.getByTestId('activity').first().waitFor();
  await page.getByRole('link', { name: 'Notifications' }).click();
  await page.getByText('I am white unicorn').waitFor();
  const [server] = await collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities/notifications', 1, 10_000);
  assert.is(server!.attributes['app.smoke_id'], id, 'the backend’s span carries it (baggage)');
  const fetchSpan = (await collector.waitForSpans((s) => s.spanId === server!.parentSpanId, 1, 8000))[0]!;
  assert.is(fetchSpan.resource['app.smoke_id'], id);
  assert.is(fetchSpan.resource['app.traffic'], 'smoke');
  await page.close({ runBeforeUnload: true });
  await waitFor(async () => (collector.spans.some((s) => s.name === 'page view' && s.resource['app.smoke_id'] === id) ? true : undefined), 8000, 'the page view');
  const browserSpans = collector.spans.filter((s) => s.resource['service.name'] === FRONTEND);
  assert.ok(browserSpans.length >= 5);
  assert.equal(browserSpans.filter((s) => s.resource['app.smoke_id'] !== id).map((s) => s.name), [], 'every span of the tab, the reloaded page’s too');

  // Another tab, a user's: no tag, and no baggage sent.
  const user = await browser.newPage();
  await user.goto(`${site.url}/?smoke_id=${encodeURIComponent('<script>')}`);
  await user.getByTestId('activity').first().waitFor();
  const [mine] = await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.resource['app.traffic'] === 'user' && s.name === 'GET /api/activities/home', 1, 10_000);
  assert.is(mine!.resource['app.smoke_id'], undefined, 'an id that is not one the scripts make is ignored');
  const [theirs] = await collector.waitForSpans((s) => s.kind === SERVER && s.parentSpanId === mine!.spanId, 1, 8000);
  assert.is(theirs!.attributes['app.smoke_id'], undefined);
  await user.close();
});

tagged.run();

const dev = suite('the dev server, as compose runs it');

dev('each page’s data is fetched once, though React’s StrictMode mounts every page twice in development', async () => {
  const collector = await startTracePipeline();
  const backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } });
  const server = await startDevServer({ API_PROXY_TARGET: backend.url, OTEL_PROXY_TARGET: collector.url });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    let gets = 0;
    page.on('request', (r) => r.url().includes('/api/activities/') && gets++);
    await page.goto(server.url);
    await page.getByTestId('activity').first().waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByText('I am white unicorn').waitFor();
    await new Promise((r) => setTimeout(r, 500)); // a second fetch would have started by now
    assert.is(gets, 2, 'one GET for home, one for notifications');
    const spans = await collector.waitForSpans((s) => s.kind === SERVER && s.attributes['http.route'] === '/api/activities/notifications', 1, 10_000);
    await new Promise((r) => setTimeout(r, 2500)); // the backend's next batch, and the collector's
    assert.is(collector.spans.filter((s) => s.kind === SERVER).length, 2, `one backend request per page: ${collector.spans.filter((s) => s.kind === SERVER).map((s) => s.name).join()}`);
    // The navigation's trace: click -> navigate -> one fetch -> one backend request. The browser's
    // span comes with its SDK, which the dev server serves as many modules: wait for it.
    await collector.waitForSpans((s) => s.resource['service.name'] === FRONTEND && s.traceId === spans[0]!.traceId && s.name === 'GET /api/activities/notifications', 1, 10_000);
    await new Promise((r) => setTimeout(r, 1500)); // the browser's next batch, where a second fetch span would be
    const trace = collector.spans.filter((s) => s.traceId === spans[0]!.traceId);
    assert.is(trace.filter((s) => s.name === 'GET /api/activities/notifications').length, 2, trace.map((s) => s.name).join());
    // The dev server serves the app as dozens of modules: counted on the document load, not sent as a span each.
    const [load] = await collector.waitForSpans((s) => s.name === 'documentLoad', 1, 10_000);
    assert.ok(Number(load!.attributes['app.dev_modules_fetched']) > 20, String(load!.attributes['app.dev_modules_fetched']));
    const resources = collector.spans.filter((s) => s.name === 'resourceFetch').map((s) => new URL(String(s.attributes['url.full'])).pathname);
    assert.ok(resources.length < 5, resources.join());
  } finally {
    await browser.close();
    await server.stop();
    await backend.stop();
    await collector.close();
  }
});

dev.run();
