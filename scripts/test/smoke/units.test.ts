// The smoke's hops, confirmation and runner in one process, against the cloud fakes alone
// (testkit/clouds.ts) and small loopback servers standing where the collector and the backend
// would be: what each says when its server refuses, fails or is gone, each confirmation's words
// at each destination, and the runner's verdicts. Delivery through the real collector is
// hops.test.ts's and remote.test.ts's; this file is fast so every wording is pinned exactly.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closedPort, listen, readBody, type Running } from '../../../testkit/http.ts';
import { KEYS } from '../../../testkit/honeycomb.ts';
import { canaryTrace, recorder } from '../../lib/otlp/canary.ts';
import { writeTestEvent } from '../../lib/aws/cloudwatch-logs.ts';
import { HoneycombError, keyInfo } from '../../lib/honeycomb/api.ts';
import { decodeTraces } from '../../lib/otlp/decode.ts';
import { sendSpans } from '../../lib/otlp/send.ts';
import { addressProblem, type Settings } from '../../lib/workspace/settings.ts';
import { silentTerm } from '../../lib/terminal/term.ts';
import { baselineWrite, confirmCloudWatchLogs, confirmHoneycomb, confirmXray, honeycombPoller, traceTarget, type ConfirmContext } from '../../smoke/confirm.ts';
import { backendHop } from '../../smoke/hops/backend.ts';
import { browserHop } from '../../smoke/hops/browser.ts';
import { collectorHop, configuredDestinations } from '../../smoke/hops/collector.ts';
import { collectorPath, collectorTraces, defineHop, ok, otlpString, postToCollector, stamped, toSpanLike, type Hop } from '../../smoke/hops/hop.ts';
import { honeycombHop } from '../../smoke/hops/honeycomb.ts';
import { logsHop, smokeLogRecord } from '../../smoke/hops/logs.ts';
import { metricsHop, smokeMetric } from '../../smoke/hops/metrics.ts';
import { xrayHop } from '../../smoke/hops/xray.ts';
import { preflight } from '../../smoke/preflight.ts';
import type { HopResult } from '../../smoke/result.ts';
import { NOWHERE, printHops, runHops } from '../../smoke/runner.ts';
import { leaveMarker } from '../../smoke/marker.ts';
import { startClouds, type Clouds } from '../world.ts';
import { NO_BROWSER } from '../../../testkit/clouds.ts';

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
const status = (code: number, body = '', headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => (res.writeHead(code, headers), res.end(body));

interface Ctx {
  clouds: Clouds;
  stub: Stub;
  closed: string;
}
/** No test here waits more than a few seconds: one still running after this is a hang, and fails. */
const LIMIT_MS = 10_000;
const within = <T,>(work: T | Promise<T>, name: string) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`"${name}" still running after ${LIMIT_MS / 1000} s: a hang`)), LIMIT_MS).unref())]);

/**
 * One suite per part, each with its own fakes: uvu's --bail stops after the first suite that
 * fails (npm run mutate uses it), so a bug the first part catches costs only that part's time.
 */
function section(title: string) {
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

// uvu's --bail stops after a failing suite; here it stops at the first failing test too.
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
const MINUTE = 100;

const settingsOf = (c: Ctx, extra: Record<string, string | undefined> = {}) => c.clouds.settings({ OTEL_COLLECTOR_URL: c.stub.url, BACKEND_URL: c.stub.url, ...extra });
const NO_CLOUDS = { HONEYCOMB_API_KEY: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };

async function context(settings: Settings, timeoutMs = 2000): Promise<ConfirmContext> {
  const signal = AbortSignal.timeout(timeoutMs);
  const ctx: ConfirmContext = { settings, preflight: await preflight(settings, signal), signal, pollMs: 20, startedMs: performance.now(), timeoutMs };
  if (ctx.preflight.honeycomb?.queryable) ctx.poller = honeycombPoller(ctx, MINUTE);
  return ctx;
}

async function run(settings: Settings, hops: string[], timeoutMs = 2000) {
  const term = silentTerm();
  const results = await runHops(settings, term, hops as never, timeoutMs, { pollMs: 20, minuteMs: MINUTE });
  return { results, one: results[0]!, output: term.lines.join('\n') };
}

const helpers = section('hop.ts, its helpers');

helpers('the collector path: OTEL_COLLECTOR_URL with any trailing slashes, then /v1/<signal>', (c) => {
  for (const url of ['http://collector:4318', 'http://collector:4318/', 'http://collector:4318///']) {
    const s = settingsOf(c, { OTEL_COLLECTOR_URL: url });
    assert.is(collectorPath(s, 'logs'), 'http://collector:4318/v1/logs', url);
    assert.is(collectorPath(s, 'metrics'), 'http://collector:4318/v1/metrics');
    assert.is(collectorTraces(s), 'http://collector:4318/v1/traces');
  }
});

helpers('ok: the named hop’s confirmed, undefined for a hop not run', () => {
  const all = [{ hop: 'xray', confirmed: true }, { hop: 'collector', confirmed: false }] as HopResult[];
  assert.is(ok(all, 'xray'), true);
  assert.is(ok(all, 'collector'), false);
  assert.is(ok(all, 'honeycomb'), undefined);
  assert.equal(otlpString('k', 'v'), { key: 'k', value: { stringValue: 'v' } });
});

helpers('a span as the X-Ray segments want it: ids, parent ("" for the root), times in ms, attributes', () => {
  const { tracer, finished } = recorder('svc');
  const root = tracer.startSpan('root', { attributes: { a: 1 } });
  root.end();
  const [span] = finished();
  const like = toSpanLike(span!);
  assert.equal(
    { ...like, startMs: typeof like.startMs, endMs: like.endMs >= like.startMs },
    { traceId: root.spanContext().traceId, spanId: root.spanContext().spanId, parentSpanId: '', name: 'root', startMs: 'number', endMs: true, attributes: { a: 1 } },
  );
  const canary = canaryTrace('svc', 'xray');
  const child = canary.spans.map(toSpanLike).find((s) => s.parentSpanId);
  assert.ok(child && canary.spans.some((s) => s.spanContext().spanId === child.parentSpanId), 'a child names its parent');
  assert.ok(Math.abs(child!.startMs - Date.now()) < 60_000, 'milliseconds since the epoch');
});

helpers('stamped: the baseline is the named dataset’s last write, only for a key confirmed by it', async (c) => {
  c.clouds.honeycomb.addDataset(KEYS.config, 'stamp-ds', '2026-11-30T10:00:00Z');
  const byWrite = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }));
  const send = async () => ({ traceId: 't', smokeId: 's' });
  const before = Date.now();
  const r = await stamped(byWrite, true, send, 'stamp-ds');
  assert.equal({ ...r, sentAt: r.sentAt >= before && r.sentAt <= Date.now() }, { traceId: 't', smokeId: 's', sentAt: true, baseline: '2026-11-30T10:00:00Z' });
  assert.is((await stamped(byWrite, true, send)).baseline, null, 'the service’s dataset by default, not written yet');
  assert.is((await stamped(byWrite, false, send, 'stamp-ds')).baseline, undefined, 'not sent to Honeycomb: no baseline');
  assert.is(await baselineWrite(await context(settingsOf(c)), 'stamp-ds'), undefined, 'a key that may query is confirmed by smoke id');
  assert.is(await baselineWrite(await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.ingest })), 'stamp-ds'), undefined, 'a key that cannot list datasets');
  assert.is(await baselineWrite(await context(settingsOf(c, NO_CLOUDS)), 'stamp-ds'), undefined, 'no key');
  c.clouds.honeycomb.setMode('server-error');
  assert.is(await baselineWrite(byWrite, 'stamp-ds'), undefined, 'Honeycomb failing: none');
});

helpers('a hop with no destination confirms nothing; with all three, one outcome each, in order', async (c) => {
  const base = { name: 'collector' as const, configured: () => true, send: async () => ({ traceId: '', smokeId: '', sentAt: 0 }), likelyCause: () => undefined };
  const none = defineHop({ ...base, destinations: () => ({ honeycomb: false, xray: false, cloudwatchLogs: false }) });
  const ctx = await context(settingsOf(c, NO_CLOUDS), 300);
  assert.equal(await none.confirm(ctx, { traceId: 'x', smokeId: 'y', sentAt: Date.now() }), []);
  assert.equal(none.honeycombTarget(ctx.settings), traceTarget(ctx.settings));
  assert.equal(traceTarget(ctx.settings), { dataset: 'backend-flask', signal: 'traces', what: 'the smoke trace' });
  const all = defineHop({ ...base, destinations: () => ({ honeycomb: true, xray: true, cloudwatchLogs: true }) });
  const outcomes = await all.confirm(ctx, { traceId: 'x', smokeId: 'y', sentAt: Date.now() });
  assert.equal(outcomes.map((o) => [o.ok, o.error]), [
    [false, 'no HONEYCOMB_API_KEY'],
    [false, 'no AWS credentials'],
    [false, 'Timed out after 0.3s waiting for: the smoke log record in CloudWatch Logs group cruddur, stream cruddur-workspace (last error: no AWS credentials were found)'],
  ]);
});

helpers('posting to the collector: each refusal in words, and what was sent', async (c) => {
  const ctx = await context(settingsOf(c, NO_CLOUDS));
  const url = `${c.stub.url}/v1/logs`;
  assert.is(await postToCollector(ctx, 'logs', { a: 1 }, 'log record'), undefined);
  assert.equal(c.stub.seen.map((s) => [s.method, s.url, s.headers['content-type'], s.body]), [['POST', '/v1/logs', 'application/json', '{"a":1}']]);
  c.stub.answer = status(404, 'not here');
  assert.is(await postToCollector(ctx, 'logs', {}, 'log record'), `the collector at ${url} has no logs pipeline (404): its config is older than this project's otel-collector/config.yaml`);
  c.stub.answer = status(503, `busy${'.'.repeat(300)}`);
  assert.is(await postToCollector(ctx, 'metrics', {}, 'metric'), `the collector at ${c.stub.url}/v1/metrics refused the metric: HTTP 503 busy${'.'.repeat(196)}`);
  c.stub.answer = status(302, '', { location: 'http://elsewhere/' });
  assert.is(await postToCollector(ctx, 'logs', {}, 'log record'), `the collector at ${url} refused the log record: HTTP 302 `, 'a redirect is not followed');
  const gone = await context(settingsOf(c, { ...NO_CLOUDS, OTEL_COLLECTOR_URL: c.closed }));
  assert.is(await postToCollector(gone, 'logs', {}, 'log record'), `the collector at ${c.closed}/v1/logs did not take the log record: fetch failed`);
});

helpers('the log record and the gauge, in the OTLP/JSON the collector decodes', () => {
  const before = BigInt(Date.now()) * 1_000_000n;
  const log = smokeLogRecord('svc', 'smoke-logs-1', 'a'.repeat(32));
  const record = log.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  assert.equal(log.resourceLogs[0]!.resource.attributes, [otlpString('service.name', 'svc'), otlpString('telemetry.sdk.name', 'cruddur-smoke')]);
  assert.equal(log.resourceLogs[0]!.scopeLogs[0]!.scope, { name: 'cruddur-smoke' });
  assert.equal({ ...record, timeUnixNano: BigInt(record.timeUnixNano) >= before }, {
    timeUnixNano: true,
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: 'smoke smoke-logs-1' },
    attributes: [otlpString('app.smoke_id', 'smoke-logs-1'), otlpString('app.smoke_hop', 'logs')],
    traceId: 'a'.repeat(32),
  });
  const metric = smokeMetric('svc', 'smoke-metrics-1');
  assert.equal(metric.resourceMetrics[0]!.resource.attributes, [otlpString('service.name', 'svc'), otlpString('telemetry.sdk.name', 'cruddur-smoke')]);
  assert.equal(metric.resourceMetrics[0]!.scopeMetrics[0]!.scope, { name: 'cruddur-smoke' });
  const gauge = metric.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
  const point = gauge.gauge.dataPoints[0]!;
  assert.equal([gauge.name, gauge.unit, gauge.description], ['cruddur.smoke', '1', 'One data point per smoke run, found by its app.smoke_id']);
  assert.equal({ ...point, timeUnixNano: BigInt(point.timeUnixNano) >= before }, { timeUnixNano: true, asInt: '1', attributes: [otlpString('app.smoke_id', 'smoke-metrics-1'), otlpString('app.smoke_hop', 'metrics')] });
});


const hops = section('each hop: when it runs, where it is confirmed, what its failure means');

hops('which hops run unnamed, and the destinations each must be confirmed at', (c) => {
  const cases: [string, Record<string, string | undefined>][] = [
    ['both', {}],
    ['key only', { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }],
    ['aws only', { HONEYCOMB_API_KEY: '' }],
    ['aws + cloudwatch', { HONEYCOMB_API_KEY: '', CLOUDWATCH_LOGS: 'true' }],
    ['cloudwatch, no aws', { ...NO_CLOUDS, CLOUDWATCH_LOGS: 'true' }],
    ['both + cloudwatch "yes"', { CLOUDWATCH_LOGS: 'yes' }],
  ];
  const hops: Hop[] = [honeycombHop, xrayHop, collectorHop, backendHop, logsHop, metricsHop];
  const seen = cases.map(([name, env]) => {
    const s = settingsOf(c, env);
    return [name, hops.filter((h) => h.configured(s)).map((h) => h.name).join(','), hops.map((h) => Object.entries(h.destinations({}, s)).filter(([, v]) => v).map(([k]) => k[0]).join('')).join(' ')];
  });
  assert.equal(seen, [
    ['both', 'honeycomb,xray,collector,backend,logs,metrics', 'h x hx hx h h'],
    ['key only', 'honeycomb,collector,backend,logs,metrics', 'h x h h h h'],
    ['aws only', 'xray,collector,backend', 'h x x x  '],
    ['aws + cloudwatch', 'xray,collector,backend,logs', 'h x x x c '],
    ['cloudwatch, no aws', 'collector,backend', 'h x    '],
    ['both + cloudwatch "yes"', 'honeycomb,xray,collector,backend,logs,metrics', 'h x hx hx h h'],
  ]);
  assert.equal(configuredDestinations({}, settingsOf(c)), { honeycomb: true, xray: true });
  assert.equal(metricsHop.honeycombTarget(settingsOf(c, { HONEYCOMB_METRICS_DATASET: 'm2' })), { dataset: 'm2', signal: 'metrics', what: 'the smoke metric', sharedWith: "the host's metrics (every 30 s) and the backend's runtime" });
});

hops('likely causes: each hop’s, from what the others showed', (c) => {
  const s = settingsOf(c, { OTEL_COLLECTOR_URL: 'http://c:4318', BACKEND_URL: 'http://b:4567' });
  const cw = settingsOf(c, { CLOUDWATCH_LOGS: 'true' });
  const r = (hop: string, sent = true, evidence?: string) => ({ hop, sent, confirmed: false, ms: 0, links: {}, evidence }) as HopResult;
  const with_ = (...confirmed: string[]) => ['honeycomb', 'xray', 'collector'].map((hop) => ({ ...r(hop), confirmed: confirmed.includes(hop) }));
  assert.is(collectorHop.likelyCause(r('collector', false), [], s), 'the collector is not reachable at http://c:4318: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL');
  const collectorItself = 'the collector: it took the spans but did not deliver them while the direct hops work. Check its exporters (docker compose logs otel-collector) and that its container has the key and credentials (npm run doctor -- --only workspace)';
  assert.is(collectorHop.likelyCause(r('collector'), with_('honeycomb'), s), collectorItself);
  assert.is(collectorHop.likelyCause(r('collector'), with_('xray'), s), collectorItself);
  assert.is(collectorHop.likelyCause(r('collector'), with_(), s), 'the destinations themselves: the direct hops failed too (see honeycomb and xray)');
  assert.is(backendHop.likelyCause(r('backend', false), [], s), 'the backend is not reachable at http://b:4567: start it (docker compose up -d) or set BACKEND_URL');
  assert.is(backendHop.likelyCause(r('backend'), with_('collector'), s), 'the backend: it answered, but its spans did not arrive while the collector works. Check its OTEL_EXPORTER_OTLP_ENDPOINT points at the collector (docker compose exec backend-flask-ts env | grep OTEL)');
  assert.is(backendHop.likelyCause(r('backend'), with_('honeycomb', 'xray'), s), 'the collector: the backend exports through it, and the collector hop failed too');
  assert.is(logsHop.likelyCause(r('logs', false), [], s), "the collector's logs pipeline at http://c:4318: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL");
  assert.is(logsHop.likelyCause(r('logs'), with_('collector'), s), 'the collector delivers spans but not this log record: check its logs pipeline (docker compose logs otel-collector)');
  const cloudwatch = 'the collector took the log record but CloudWatch Logs did not get it. The collector reads CLOUDWATCH_LOGS only when it starts: docker compose up -d otel-collector. If it was started with it, docker compose logs otel-collector names the awscloudwatchlogs error, and npm run doctor -- --only aws checks the group and permissions';
  assert.is(logsHop.likelyCause(r('logs'), with_('collector'), cw), cloudwatch);
  assert.is(logsHop.likelyCause(r('logs', true, 'found in Honeycomb'), with_(), cw), cloudwatch, 'Honeycomb found it: the collector took it');
  assert.is(logsHop.likelyCause(r('logs'), with_('honeycomb'), cw), 'the collector itself: the collector hop failed too (see collector)');
  assert.is(metricsHop.likelyCause(r('metrics', false), [], s), "the collector's metrics pipeline at http://c:4318: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL");
  assert.is(
    metricsHop.likelyCause(r('metrics'), with_('collector'), s),
    'the collector delivers spans but not metrics: its otlp_http/honeycomb-metrics exporter names dataset cruddur-metrics in x-honeycomb-dataset, read when it starts (docker compose up -d otel-collector after changing HONEYCOMB_METRICS_DATASET); docker compose logs otel-collector names its error, and npm run doctor -- --only honeycomb says whether the dataset is written',
  );
  assert.is(metricsHop.likelyCause(r('metrics'), with_('honeycomb'), s), 'the collector itself: the collector hop failed too (see collector)');
  assert.is(xrayHop.likelyCause(r('xray'), with_('honeycomb'), s), 'X-Ray only: Honeycomb works, so check the AWS credentials, AWS_REGION and the group filter (npm run doctor -- --only aws)');
  assert.is(xrayHop.likelyCause(r('xray'), with_('collector'), s), 'AWS: credentials, region or the X-Ray group (npm run doctor -- --only aws)');
  assert.is(honeycombHop.likelyCause(r('honeycomb'), [], s), 'Honeycomb: the key, its environment or the region (npm run doctor -- --only honeycomb)');
});

hops('the browser hop without a journey: run where a browser is, its Honeycomb target the page’s dataset, a browser that will not start said as such, and each likely cause', async (c) => {
  const s = settingsOf(c, { FRONTEND_SERVER_URL: 'http://f:3000', OTEL_SERVICE_NAME: 'api', FRONTEND_OTEL_SERVICE_NAME: 'page' });
  assert.is(browserHop.configured(settingsOf(c, { CHROMIUM_PATH: NO_BROWSER })), false);
  assert.is(browserHop.configured(settingsOf(c, { CHROMIUM_PATH: '/bin/false' })), true, 'a path that exists is a browser to try');
  assert.equal(browserHop.honeycombTarget!(s), { dataset: 'page', signal: 'traces', what: 'the page’s spans' });
  const refused = await context(settingsOf(c, { ...NO_CLOUDS, CHROMIUM_PATH: '/bin/false' }));
  const receipt = await browserHop.send(refused);
  assert.equal([receipt.traceId, receipt.baseline], ['', undefined]);
  assert.match(receipt.error!, /^no browser to walk the journey in: \S/);
  assert.not.match(receipt.error!, /\n/, 'one line: Playwright’s launch log is not the verdict’s');
  assert.match(receipt.smokeId, /^smoke-browser-/);
  // Confirmed only where it was sent: one outcome per configured destination, none for the other.
  const journey = { traceId: 'c'.repeat(32), smokeId: 'smoke-browser-none', sentAt: Date.now() };
  const xrayOnly = await context(settingsOf(c, { HONEYCOMB_API_KEY: '' }), 300);
  const honeycombOnly = await context(settingsOf(c, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }), 300);
  assert.is((await browserHop.confirm(xrayOnly, journey)).length, 1);
  assert.is((await browserHop.confirm(honeycombOnly, { ...journey, baseline: null })).length, 1);
  const r = (sent: boolean, error?: string) => ({ hop: 'browser', sent, confirmed: false, ms: 0, links: {}, error }) as HopResult;
  const others = (...confirmed: string[]) => ['honeycomb', 'xray', 'collector'].map((hop) => ({ ...r(true), hop, confirmed: confirmed.includes(hop) }));
  assert.is(browserHop.likelyCause(r(false, receipt.error), [], s), 'no browser here: the other hops do not need one');
  assert.is(browserHop.likelyCause(r(false, 'the journey stopped at "home feed": the page did not load: net::ERR_CONNECTION_REFUSED'), [], s), 'the front end is not reachable at http://f:3000: start it (docker compose up -d frontend-react-js) or set FRONTEND_SERVER_URL');
  assert.is(browserHop.likelyCause(r(false, 'the journey stopped at "home feed": the page loaded, the feed never showed (GET /api/activities/home answered 502)'), [], s), "the front end's proxy to the backend (API_PROXY_TARGET) or the backend itself: docker compose logs backend-flask-ts frontend-react-js");
  const itself = 'the page itself, as the error says: open the address in a browser and watch its console and network tab';
  assert.is(browserHop.likelyCause(r(false, 'the journey stopped at "post a crud": no button'), [], s), itself);
  assert.is(browserHop.likelyCause(r(false, 'the page did not load, at "profile"'), [], s), itself, 'only the first page says where the front end is');
  assert.is(browserHop.likelyCause(r(false), [], s), itself);
  assert.is(browserHop.likelyCause(r(true, 'the trace arrived unjoined in Honeycomb'), others('collector'), s), 'the join: the page and the backend each deliver, but not as one trace');
  assert.is(browserHop.likelyCause(r(true, 'not found'), others('collector'), s), 'the page’s path to the collector: the collector delivers the smoke’s own spans, not the page’s');
  assert.is(browserHop.likelyCause(r(true, 'not found'), others('honeycomb', 'xray'), s), 'the collector: the page’s spans go through it, and the collector hop failed too');
  assert.is(browserHop.likelyCause(r(true), others(), s), 'the collector: the page’s spans go through it, and the collector hop failed too');
});

hops('sends that fail: each hop’s words, and nothing left half-sent', async (c) => {
  const none = await context(settingsOf(c, NO_CLOUDS));
  assert.is((await honeycombHop.send(none)).error, 'HONEYCOMB_API_KEY is not set: run npm run setup');
  assert.is((await xrayHop.send(none)).error, 'no AWS credentials: run npm run setup');
  const ingest = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.management }));
  assert.match((await honeycombHop.send(ingest)).error!, /^HONEYCOMB_API_KEY is a management key/, 'the preflight’s own error');
  const noGroup = await context(settingsOf(c, { XRAY_GROUP: 'Nope' }));
  assert.equal(await confirmXray(noGroup, 's', 'b'.repeat(32), Date.now()), { ok: false, error: 'X-Ray group Nope does not exist in us-east-1: create it with npm run xray:setup' }, 'the preflight’s own error');
  const refused = await context(settingsOf(c));
  refused.preflight.honeycomb!.key = KEYS.otherEnv.replace('otherenv', 'unknownk'); // a key Honeycomb does not know, past the preflight
  assert.is((await honeycombHop.send(refused)).error, 'Honeycomb refused the spans: Unauthorized');
  c.clouds.xray.deny('PutTraceSegments');
  assert.is((await xrayHop.send(await context(settingsOf(c)))).error, 'AWS denied PutTraceSegments: the credentials lack xray:PutTraceSegments: grant xray:PutTraceSegments to the IAM user or role (for the course: attach AWSXrayFullAccess), then run again');
  c.clouds.xray.allowAll();
  const gone = await context(settingsOf(c, { ...NO_CLOUDS, OTEL_COLLECTOR_URL: c.closed, BACKEND_URL: `${c.closed}/` }));
  c.stub.answer = status(400, 'bad');
  const collector = await collectorHop.send(await context(settingsOf(c, NO_CLOUDS)));
  assert.match(collector.error!, new RegExp(`^the collector at ${c.stub.url}/v1/traces did not take the spans: `));
  assert.match(collector.traceId, /^[0-9a-f]{32}$/);
  assert.match(collector.smokeId, /^smoke-collector-/);
  const backend = await backendHop.send(gone);
  assert.is(backend.error, `nothing is listening at ${c.closed}/api/activities/home (connection refused): start it: docker compose up -d backend-flask-ts, or set the URL the backend runs on`);
  assert.is(backend.after, undefined, 'no root span to send after a failed request');
  const logs = await logsHop.send(gone);
  assert.match(logs.error!, new RegExp(`^the collector at ${c.closed}/v1/logs did not take the log record: `));
  assert.match(logs.smokeId, /^smoke-logs-/);
  const metrics = await metricsHop.send(gone);
  assert.match(metrics.error!, new RegExp(`^the collector at ${c.closed}/v1/metrics did not take the metric: `));
  assert.match(metrics.smokeId, /^smoke-metrics-/);
  assert.match(metrics.traceId, /^[0-9a-f]{32}$/);
});

hops('the backend hop: the request carries the trace and the smoke id as baggage; an error status is the backend’s', async (c) => {
  const ctx = await context(settingsOf(c, { ...NO_CLOUDS, BACKEND_URL: `${c.stub.url}//` }));
  const sent = await backendHop.send(ctx);
  assert.is(sent.error, undefined);
  const req = c.stub.seen[0]!;
  assert.is(req.url, '/api/activities/home');
  assert.match(String(req.headers.traceparent), new RegExp(`^00-${sent.traceId}-[0-9a-f]{16}-01$`));
  assert.match(String(req.headers.baggage), new RegExp(`app.smoke_id=${sent.smokeId}`));
  assert.match(sent.smokeId, /^smoke-backend-/);
  assert.type(sent.after, 'function', 'the root span goes once the hop is judged');
  c.stub.seen.length = 0;
  await sent.after!();
  assert.equal(c.stub.seen.map((s) => s.url), ['/v1/traces'], 'to the collector’s traces path');
  const [root] = decodeTraces(Buffer.from(c.stub.seen[0]!.body, 'latin1'), String(c.stub.seen[0]!.headers['content-type']));
  // SpanKind.CLIENT is 3 in OTLP; the smoke id is not on it: only the backend's spans may confirm the hop.
  assert.equal([root!.name, root!.kind, root!.traceId, root!.resource['service.name']], ['smoke backend', 3, sent.traceId, 'backend-flask']);
  assert.equal(root!.attributes, { 'app.smoke_hop': 'backend', 'http.response.status_code': 200 });
  c.stub.answer = status(500, 'oops');
  assert.is((await backendHop.send(ctx)).error, `the backend answered 500 at ${c.stub.url}/api/activities/home`);
});

hops('X-Ray rejecting a segment: its error code and message, in the hop’s words', async (c) => {
  // X-Ray's segment documents allow a name of at most 200 characters (the fake's segmentProblem).
  const ctx = await context(settingsOf(c, { OTEL_SERVICE_NAME: 'n'.repeat(201) }));
  assert.is((await xrayHop.send(ctx)).error, 'X-Ray rejected a segment: InvalidSegment Invalid segment: name is required, at most 200 characters');
});


hops('servers that never answer: each send gives up at the smoke’s deadline, not its own longer limit', async (c) => {
  c.stub.answer = () => {}; // never answers
  const ctx = await context(settingsOf(c, NO_CLOUDS), 300);
  const timed = async (send: Promise<{ error?: string }>) => {
    const t0 = performance.now();
    const r = await send;
    return { error: r.error, ms: performance.now() - t0 };
  };
  for (const [hop, send] of [['backend', backendHop.send(ctx)], ['logs', logsHop.send(ctx)], ['metrics', metricsHop.send(ctx)]] as const) {
    const r = await timed(send);
    assert.ok(r.ms < 2000, `${hop}: ${Math.round(r.ms)} ms`);
    assert.match(r.error!, /abort|in time|timed? ?out/i, `${hop}: ${r.error}`);
  }
  const withAws = await context(settingsOf(c), 300);
  c.clouds.xray.setLatency(5000);
  try {
    const r = await timed(xrayHop.send(withAws));
    assert.ok(r.ms < 2000, `xray: ${Math.round(r.ms)} ms`);
    assert.ok(r.error, 'an error, not a send');
  } finally {
    c.clouds.xray.setLatency(0);
  }
});

const confirmation = section('confirmation at each destination');

confirmation('Honeycomb by smoke id: found, and the deadline’s words with the poll’s last error', async (c) => {
  const ctx = await context(settingsOf(c));
  const canary = canaryTrace('backend-flask', 'honeycomb');
  assert.ok((await sendSpans(canary.spans, `${c.clouds.honeycomb.url}/v1/traces`, { 'x-honeycomb-team': KEYS.enterprise })).ok);
  assert.equal(await confirmHoneycomb(ctx, canary.smokeId, undefined), { ok: true, evidence: 'found by smoke id in dataset backend-flask (Query Data API)' });
  const short = await context(settingsOf(c), 500);
  c.clouds.honeycomb.setMode('server-error');
  const late = await confirmHoneycomb(short, 'smoke-never', undefined);
  assert.match(late.error!, /^Timed out after 0\.5s waiting for: the smoke trace in Honeycomb dataset backend-flask \(last error: .+\)$/);
  assert.is(late.ok, false);
  c.clouds.honeycomb.setMode('ok');
  const limitedCtx = await context(settingsOf(c), 500);
  c.clouds.honeycomb.setMode('rate-limited');
  const limited = await confirmHoneycomb(limitedCtx, 'smoke-never', undefined);
  assert.is(limited.error, 'Timed out after 0.5s waiting for: the smoke trace in Honeycomb dataset backend-flask (last error: rate-limited by the Query Data API (10 query results a minute, shared with anything else using this key))');
});

confirmation('Honeycomb by the last write: a write after the baseline, not the baseline itself; a shared dataset says so', async (c) => {
  const ctx = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }), 400);
  c.clouds.honeycomb.addDataset(KEYS.config, 'written', '2026-12-01T00:00:01Z');
  const target = { ...traceTarget(ctx.settings), dataset: 'written' };
  assert.equal(await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:00Z', target), {
    ok: true,
    evidence: 'dataset written was written after the send (last_written_at 2026-12-01T00:00:01Z); a key that may query would find the smoke trace itself',
  });
  assert.equal(await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:00Z', { ...target, what: 'the smoke metric', sharedWith: 'others' }), {
    ok: true,
    evidence: 'dataset written was written after the send (last_written_at 2026-12-01T00:00:01Z), which others write too: the pipeline delivers; a key that may query would find the smoke metric itself',
  });
  assert.equal(await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:01Z', target), { ok: false, error: 'Timed out after 0.4s waiting for: the smoke trace in Honeycomb dataset written' }, 'unchanged since the send');
  c.clouds.honeycomb.addDataset(KEYS.config, 'never', null);
  const unwritten = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }), 300);
  assert.is((await confirmHoneycomb(unwritten, 's', null, { ...target, dataset: 'never' })).ok, false, 'a dataset never written');
});

confirmation('Honeycomb keys that cannot tell: the ingest key, the key without the permissions, and no key', async (c) => {
  const ingest = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.ingest }));
  assert.equal(await confirmHoneycomb(ingest, 's', undefined), {
    ok: false,
    error: `accepted by Honeycomb, but this ${keyInfo(KEYS.ingest).label} cannot read datasets, so arrival cannot be confirmed: a configuration key for environment "bootcamp" with one of those would confirm it`,
  });
  const config = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }));
  config.preflight.honeycomb!.readable = false;
  assert.equal(await confirmHoneycomb(config, 's', undefined), {
    ok: false,
    error: 'accepted by Honeycomb, but this key has neither "Create Datasets" (to see the dataset\'s last write) nor "Manage Queries and Columns" with "Run Queries" (to find the trace), so arrival cannot be confirmed: a configuration key for environment "bootcamp" with one of those would confirm it',
  });
  const none = await context(settingsOf(c, NO_CLOUDS));
  assert.equal(await confirmHoneycomb(none, 's', undefined), { ok: false, error: 'no HONEYCOMB_API_KEY' });
  const wrong = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.otherEnv }));
  assert.match((await confirmHoneycomb(wrong, 's', undefined)).error!, /^the key belongs to environment "test"/, 'the preflight’s refusal');
});

confirmation('Honeycomb refusing the key mid-poll: down one level each time, to the words of a key that cannot tell', async (c) => {
  const ctx = await context(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.config }), 1500);
  const h = ctx.preflight.honeycomb!;
  let calls = 0;
  h.api.datasets = async () => {
    calls++;
    throw new HoneycombError(403, { cause: 'forbidden', fix: '' } as never);
  };
  const out = await confirmHoneycomb(ctx, 's', undefined);
  assert.is(calls, 1);
  assert.is(h.readable, false);
  assert.match(out.error!, /^accepted by Honeycomb, but this key has neither/);
});

confirmation('the Query Data API poller: a refused key is "unavailable" to every waiter; the deadline is false', async (c) => {
  const ctx = await context(settingsOf(c), 3000);
  ctx.preflight.honeycomb!.api.counts = async () => {
    throw new HoneycombError(401, { cause: 'unknown key', fix: '' } as never);
  };
  const poller = honeycombPoller(ctx, MINUTE);
  assert.equal(await Promise.all([poller.wait('a', 'd1'), poller.wait('b', 'd2')]), ['unavailable', 'unavailable']);
  assert.is(ctx.preflight.honeycomb!.queryable, false);
  const late = await context(settingsOf(c), 400);
  late.preflight.honeycomb!.api.counts = async () => {
    throw new Error('socket hang up');
  };
  const slow = honeycombPoller(late, MINUTE);
  assert.is(await slow.wait('c', 'd1'), false);
  assert.is(slow.lastError(), 'socket hang up');
  const found = await context(settingsOf(c), 600);
  const asked: string[][] = [];
  found.preflight.honeycomb!.api.counts = async (dataset, _col, ids) => (asked.push([dataset, ...ids]), new Map(ids.map((id) => [id, id === 'x' ? 1 : 0])));
  const p = honeycombPoller(found, MINUTE);
  const [x, y] = [p.wait('x', 'ds'), p.wait('y', 'ds')];
  assert.is(await x, true);
  assert.equal(asked[0], ['ds', 'x', 'y'], 'one query for both ids of a dataset');
  assert.is(await y, false, 'never counted: false at the deadline');
});

confirmation('X-Ray: found by the annotation; stored but hidden by the filter; stored and selected but not indexed; a filter beyond the smoke', async (c) => {
  const send = async (settings: Settings, timeoutMs = 500) => {
    const ctx = await context(settings, timeoutMs);
    const r = await xrayHop.send(ctx);
    assert.is(r.error, undefined);
    return { ctx, r, out: await confirmXray(ctx, r.smokeId, r.traceId, r.sentAt) };
  };
  const found = await send(settingsOf(c), 3000);
  assert.equal(found.out, { ok: true, evidence: 'found by annotation app_smoke_id under group Cruddur\'s filter' });
  c.clouds.xray.addGroup('Other', 'service("somewhere-else")');
  const hidden = await send(settingsOf(c, { XRAY_GROUP: 'Other' }));
  assert.is(hidden.out.error, 'the trace reached X-Ray as service "backend-flask", which group Other\'s filter service("somewhere-else") does not select: set the filter to service("backend-flask") (npm run xray:setup)');
  c.clouds.xray.setIndexingDelay(60_000);
  const late = await send(settingsOf(c));
  assert.is(late.out.error, 'the trace reached X-Ray and group Cruddur\'s filter service("backend-flask") selects it, but X-Ray had not indexed it within 0.5s: indexing can take a minute or more; run the smoke again with a longer --timeout (e.g. --timeout 180)');
  // With CloudWatch Transaction Search on, a longer wait is the wrong advice: most traces are never indexed.
  c.clouds.xray.setIndexingDelay(0);
  c.clouds.xray.setTransactionSearch(0);
  try {
    const unindexed = await send(settingsOf(c));
    assert.is(unindexed.out.error, 'the trace reached X-Ray and group Cruddur\'s filter service("backend-flask") selects it, but CloudWatch Transaction Search is on and X-Ray indexes only 0 % of spans as trace summaries, so a longer wait may never find it: raise the share while you learn (aws xray update-indexing-rule --name Default --rule \'{"Probabilistic":{"DesiredSamplingPercentage":100}}\', billed per span), or find the trace in CloudWatch > Application Signals > Transaction Search');
    c.clouds.xray.setTransactionSearch(100);
    assert.equal((await send(settingsOf(c), 3000)).out, { ok: true, evidence: 'found by annotation app_smoke_id under group Cruddur\'s filter' }, 'at 100 % every trace is indexed');
  } finally {
    c.clouds.xray.setTransactionSearch(undefined);
    c.clouds.xray.setIndexingDelay(60_000);
  }
  c.clouds.xray.addGroup('Odd', 'responsetime > 5');
  const odd = await send(settingsOf(c, { XRAY_GROUP: 'Odd' }));
  assert.is(odd.out.error, 'the trace reached X-Ray but was not found under group Odd within 0.5s; its filter responsetime > 5 is more than the smoke can evaluate, so X-Ray may still be indexing it or the filter may not select service "backend-flask": run the smoke again with a longer --timeout, and if it still fails, set the filter to service("backend-flask") (npm run xray:setup)');
  const ctx = await context(settingsOf(c), 500);
  assert.is((await confirmXray(ctx, 'smoke-nothing', 'b'.repeat(32), Date.now())).error, `Timed out after 0.5s waiting for: trace 1-bbbbbbbb-${'b'.repeat(24)} in X-Ray group Cruddur`, 'nothing stored');
  c.clouds.xray.deny('GetTraceSummaries');
  const denied = await confirmXray(await context(settingsOf(c), 500), 'smoke-nothing', 'b'.repeat(32), Date.now());
  assert.match(denied.error!, /^Timed out after 0\.5s waiting for: trace 1-b{8}-b{24} in X-Ray group Cruddur \(last error: .*GetTraceSummaries.*\)$/);
  assert.equal(await confirmXray(await context(settingsOf(c, NO_CLOUDS), 300), 's', 'b'.repeat(32), Date.now()), { ok: false, error: 'no AWS credentials' });
});

confirmation('CloudWatch Logs: found by smoke id in the workspace’s stream; a group not there yet; the deadline', async (c) => {
  c.clouds.logs.addGroup('units-group');
  const s = settingsOf(c, { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: 'units-group', CLOUDWATCH_LOG_STREAM: 'npm-run-doctor' });
  const since = Date.now();
  await writeTestEvent(s, 'smoke smoke-logs-unit-1 arrived');
  const ctx = await context(s, 3000);
  assert.equal(await confirmCloudWatchLogs(ctx, 'smoke-logs-unit-1', since), { ok: true, evidence: 'found by smoke id in CloudWatch Logs group units-group, stream npm-run-doctor' });
  assert.is((await confirmCloudWatchLogs(await context(s, 400), 'smoke-logs-unit-2', since)).error, 'Timed out after 0.4s waiting for: the smoke log record in CloudWatch Logs group units-group, stream npm-run-doctor');
  const missing = settingsOf(c, { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: 'not-yet' });
  assert.is(
    (await confirmCloudWatchLogs(await context(missing, 400), 'smoke-x', since)).error,
    'Timed out after 0.4s waiting for: the smoke log record in CloudWatch Logs group not-yet, stream cruddur-workspace (last error: group not-yet or its stream cruddur-workspace does not exist yet)',
  );
  c.clouds.logs.deny('FilterLogEvents');
  assert.match((await confirmCloudWatchLogs(await context(s, 400), 'smoke-x', since)).error!, /^Timed out after 0\.4s waiting for: the smoke log record in CloudWatch Logs group units-group, stream npm-run-doctor \(last error: .*FilterLogEvents.*\)$/);
  c.clouds.logs.allowAll();
});

confirmation('the poller: its first query after the minute under way ends, one loop, queries spaced within the rate limit', async (c) => {
  const minute = 900; // long enough that a spacing of a ninth is told from a tenth or an eleventh
  const ctx = await context(settingsOf(c), 3 * minute);
  const calls: { at: number; dataset: string; seconds: number }[] = [];
  let inFlight = 0;
  let most = 0;
  ctx.preflight.honeycomb!.api.counts = async (dataset, _column, ids, seconds) => {
    calls.push({ at: Date.now(), dataset, seconds });
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return new Map(ids.map((id) => [id, calls.length >= 3 ? 1 : 0]));
  };
  const asked = Date.now();
  const poller = honeycombPoller(ctx, minute);
  const [a, b] = [poller.wait('a', 'd1'), poller.wait('b', 'd2')];
  assert.equal(await Promise.all([a, b]), [true, true]);
  const boundary = Math.ceil(asked / minute) * minute;
  assert.ok(calls[0]!.at >= boundary, `the first query waits for the minute under way to end: ${calls[0]!.at - boundary} ms`);
  assert.ok(calls[0]!.at < boundary + minute / 2, 'and not much longer');
  assert.is(most, 1, 'one loop: one query at a time');
  assert.equal(calls.slice(0, 2).map((x) => x.dataset), ['d1', 'd2'], 'a query per dataset');
  const gap = calls[1]!.at - calls[0]!.at;
  assert.ok(gap >= minute / 9 && gap < minute / 9 + 60, `spaced a ninth of a minute: ${gap} ms`);
  assert.ok(calls.every((x) => x.seconds >= 300 && x.seconds < 310), 'the query range: since the smoke began, and five minutes before');
  // A key refused with 403 (no "Run Queries") is unavailable too.
  const refused = await context(settingsOf(c), 2000);
  refused.preflight.honeycomb!.api.counts = async () => {
    throw new HoneycombError(403, { cause: 'forbidden', fix: '' } as never);
  };
  assert.is(await honeycombPoller(refused, MINUTE).wait('z', 'd'), 'unavailable');
});

confirmation('Honeycomb by smoke id refused mid-run: confirmed by the dataset’s last write instead', async (c) => {
  const ctx = await context(settingsOf(c), 2000);
  ctx.preflight.honeycomb!.api.counts = async () => {
    throw new HoneycombError(401, { cause: 'no', fix: '' } as never);
  };
  c.clouds.honeycomb.addDataset(KEYS.enterprise, 'fallback', '2026-12-01T00:00:05Z');
  const out = await confirmHoneycomb(ctx, 's', '2026-12-01T00:00:00Z', { ...traceTarget(ctx.settings), dataset: 'fallback' });
  assert.equal(out, { ok: true, evidence: 'dataset fallback was written after the send (last_written_at 2026-12-01T00:00:05Z); a key that may query would find the smoke trace itself' });
});


const runner = section('the runner’s verdicts');

runner('runner: a hop sent where nothing can look is not confirmed, in the runner’s words or its own, with no likely cause', async (c) => {
  const { results, output } = await run(settingsOf(c, NO_CLOUDS), ['collector', 'logs', 'metrics']);
  assert.equal(results.map((r) => [r.hop, r.sent, r.confirmed, r.error, r.cause, r.links]), [
    ['collector', true, false, NOWHERE, undefined, {}],
    ['logs', true, false, logsHop.nowhere, undefined, {}],
    ['metrics', true, false, metricsHop.nowhere, undefined, {}],
  ]);
  assert.is(NOWHERE, 'not confirmed: nowhere to look: no HONEYCOMB_API_KEY and no AWS credentials are set, so neither Honeycomb nor X-Ray can be asked whether the spans arrived. Save one (npm run setup), or run npm run smoke with no --hops for the local default');
  assert.match(output, /✘ collector sent, not confirmed in \d+\.\d s [0-9a-f]{32}/);
  assert.not.match(output, /Honeycomb:|X-Ray:/, 'no destination to name');
});

runner('runner: an address setting that is no http(s) URL is the hop’s error, with its fix and no likely cause, before anything is sent; a good one goes on', async (c) => {
  const { results } = await run(settingsOf(c, { OTEL_COLLECTOR_URL: 'localhost:4318', BACKEND_URL: ' http://b:4567', FRONTEND_SERVER_URL: 'ftp://f', CHROMIUM_PATH: '/bin/false' }), ['collector', 'logs', 'metrics', 'backend', 'browser']);
  const collector = 'OTEL_COLLECTOR_URL is "localhost:4318" (environment), not an http(s) URL: set it to an address like http://localhost:4318';
  const backend = results[1]!;
  assert.equal(results.map((r) => [r.hop, r.sent, r.confirmed, r.error, r.cause]), [
    ['collector', false, false, collector, undefined],
    // A leading space: new URL() trims it, and so does fetch; the hop goes on, and fails on its own.
    ['backend', false, false, 'the host name b:4567 does not resolve (DNS): check the spelling of the URL for the backend, and that this workspace has network access', backend.cause],
    ['logs', false, false, collector, undefined],
    ['metrics', false, false, collector, undefined],
    ['browser', false, false, 'FRONTEND_SERVER_URL is "ftp://f" (environment), not an http(s) URL: set it to an address like http://localhost:3000', undefined],
  ]);
  assert.match(backend.cause!, /^the backend is not reachable at/, 'an address that is one: the hop’s own likely cause');
  assert.is(addressProblem({ name: 'OTEL_COLLECTOR_URL', value: 'https://c.example:4318/', source: '.env' }), undefined);
  assert.is(addressProblem({ name: 'SOMETHING_URL', value: 'nope', source: '.env' }), 'SOMETHING_URL is "nope" (.env), not an http(s) URL: set it to an http(s) URL');
});

runner('runner: confirmed hops, with their evidence, links and the destinations named first', async (c) => {
  const { results, output } = await run(settingsOf(c), ['honeycomb', 'xray']);
  const [h, x] = results;
  assert.equal([h!.sent, h!.confirmed, h!.error, h!.cause, x!.sent, x!.confirmed, x!.error, x!.cause], [true, true, undefined, undefined, true, true, undefined, undefined]);
  assert.is(h!.evidence, 'found by smoke id in dataset backend-flask (Query Data API)');
  assert.equal(Object.keys(h!.links), ['honeycomb']);
  assert.match(h!.links.honeycomb!, new RegExp(`/cruddur-bootcamp/environments/bootcamp/trace\\?trace_id=${h!.traceId}`));
  assert.equal(Object.keys(x!.links), ['xray']);
  assert.match(x!.links.xray!, /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/.*#xray:traces\/1-/);
  assert.match(output, /^Honeycomb: team Cruddur Bootcamp, environment bootcamp \(.*configuration key.*\)$/m);
  assert.match(output, /^X-Ray: group Cruddur in us-east-1, filter service\("backend-flask"\)$/m);
  assert.match(output, /^✔ honeycomb sent, confirmed in \d+\.\d s [0-9a-f]{32}$/m);
  assert.ok(h!.ms > 0 && h!.ms < 2000, `its own time: ${h!.ms}`);
  // A Classic environment has no name.
  const classic = await run(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.classic, HONEYCOMB_ENVIRONMENT: '', AWS_ACCESS_KEY_ID: '' }), ['honeycomb']);
  assert.match(classic.output, /environment \(Classic\)/);
});

runner('runner: a failed hop gets its error and its likely cause; two failures are joined', async (c) => {
  c.stub.answer = status(400, 'bad');
  const { one } = await run(settingsOf(c), ['collector']);
  assert.equal([one.sent, one.confirmed], [false, false]);
  assert.match(one.error!, /^the collector at .* did not take the spans: /);
  assert.is(one.cause, `the collector is not reachable at ${c.stub.url}: start it (docker compose up -d otel-collector) or set OTEL_COLLECTOR_URL`);
  c.stub.answer = status(200, '{}');
  const both = await run(settingsOf(c), ['collector'], 500);
  assert.equal([both.one.sent, both.one.confirmed, both.one.evidence], [true, false, undefined]);
  assert.is(both.one.error, 'Timed out after 0.5s waiting for: the smoke trace in Honeycomb dataset backend-flask; Timed out after 0.5s waiting for: trace ' + `1-${both.one.traceId!.slice(0, 8)}-${both.one.traceId!.slice(8)} in X-Ray group Cruddur`);
  assert.is(both.one.cause, 'the destinations themselves: the direct hops failed too (see honeycomb and xray)');
  assert.ok(both.one.links.honeycomb && both.one.links.xray, 'links to both, to look by hand');
});

runner('runner: half confirmed is not confirmed, and the evidence that was found is kept', async (c) => {
  // The stub stands where the collector is and hands the spans to Honeycomb only, as a collector
  // whose X-Ray exporter lost its credentials would.
  c.stub.answer = (req, res) => {
    const body = c.stub.seen.at(-1)!.body;
    void fetch(`${c.clouds.honeycomb.url}/v1/traces`, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']), 'x-honeycomb-team': KEYS.enterprise }, body: Buffer.from(body, 'latin1') }).then(() => res.end('{}'));
  };
  const { one } = await run(settingsOf(c), ['collector'], 800);
  assert.equal([one.sent, one.confirmed], [true, false]);
  assert.is(one.evidence, 'found by smoke id in dataset backend-flask (Query Data API)');
  assert.match(one.error!, /^Timed out after 0\.8s waiting for: trace 1-[0-9a-f]{8}-[0-9a-f]{24} in X-Ray group Cruddur$/);
  assert.is(one.cause, 'the destinations themselves: the direct hops failed too (see honeycomb and xray)');
});

runner('runner: the deadline, before sending and while a send hangs, in words that say which', async (c) => {
  c.clouds.honeycomb.setMode('hang');
  const pre = await run(settingsOf(c), ['honeycomb', 'collector'], 400);
  assert.equal(pre.results.map((r) => [r.hop, r.sent, r.confirmed, r.ms, r.error]), [
    ['honeycomb', false, false, 400, "Timed out after 0.4s before sending: Honeycomb's /1/auth or X-Ray's GetGroup did not answer (npm run doctor says which)"],
    ['collector', false, false, 400, "Timed out after 0.4s before sending: Honeycomb's /1/auth or X-Ray's GetGroup did not answer (npm run doctor says which)"],
  ]);
  c.clouds.honeycomb.setMode('ok');
  c.stub.answer = () => {}; // never answers
  const started = performance.now();
  const hung = await run(settingsOf(c, NO_CLOUDS), ['collector'], 400);
  assert.is(hung.one.error, 'Timed out after 0.4s waiting for its send to answer');
  assert.equal([hung.one.sent, hung.one.confirmed, hung.one.links], [false, false, {}]);
  assert.ok(performance.now() - started < 400 + 1500, 'within the grace');
});

runner('runner: links by signal (a metric links its dataset), X-Ray’s only with credentials', async (c) => {
  const metrics = await run(settingsOf(c), ['metrics'], 400);
  assert.equal(Object.keys(metrics.one.links), ['honeycomb']);
  assert.match(metrics.one.links.honeycomb!, /\/cruddur-bootcamp\/environments\/bootcamp\/datasets\/cruddur-metrics\/home$/);
  const keyOnly = await run(settingsOf(c, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }), ['collector'], 400);
  assert.equal(Object.keys(keyOnly.one.links), ['honeycomb']);
  const awsOnly = await run(settingsOf(c, { HONEYCOMB_API_KEY: '' }), ['collector'], 400);
  assert.equal(Object.keys(awsOnly.one.links), ['xray']);
});

runner('runner: the backend hop’s root span goes to the collector once the hop is judged', async (c) => {
  const { one } = await run(settingsOf(c, NO_CLOUDS), ['backend'], 1500);
  assert.is(one.error, NOWHERE);
  assert.equal(c.stub.seen.map((s) => [s.method, s.url]), [['GET', '/api/activities/home'], ['POST', '/v1/traces']]);
});

runner('runner: hops confirmed by one dataset’s last write go one at a time, and a hop still waiting its turn says so', async (c) => {
  c.stub.answer = () => {}; // the collector never answers: the first hop holds the dataset
  const { results } = await run(settingsOf(c, { ...NO_CLOUDS, HONEYCOMB_API_KEY: KEYS.config }), ['collector', 'logs'], 500);
  assert.equal(results.map((r) => [r.hop, r.sent, r.error]), [
    ['collector', false, 'Timed out after 0.5s waiting for its send to answer'],
    ['logs', false, "Timed out after 0.5s waiting for its turn to send (hops confirmed by the dataset's last write go one at a time)"],
  ]);
  assert.equal(c.stub.seen.map((s) => s.url), ['/v1/traces'], 'the logs hop never sent');
});

runner('runner: a hop that crashes is a verdict that names it, not a crash of the run', async (c) => {
  // A setting that is not there: what a bug in a hop would meet.
  const settings = { ...settingsOf(c, NO_CLOUDS), serviceName: undefined } as unknown as Settings;
  const { one } = await run(settings, ['collector'], 400);
  assert.equal([one.hop, one.sent, one.confirmed, one.links], ['collector', false, false, {}]);
  assert.match(one.error!, /^the collector hop crashed: .*reading 'value'.* \(a bug in the smoke: please report it\)$/);
});

runner('runner: progress while it waits names each hop’s stage and the time so far', async (c) => {
  const progress: string[] = [];
  const term = { ...silentTerm(), progress: (line: string) => void progress.push(line) };
  c.stub.answer = (_req, res) => void setTimeout(() => res.end('{}'), 300);
  await runHops(settingsOf(c, NO_CLOUDS), term, ['collector', 'logs'], 1000, { pollMs: 20, minuteMs: MINUTE });
  const told = progress.length;
  await new Promise((r) => setTimeout(r, 450));
  assert.is(progress.length, told, 'no progress once the run has returned');
  assert.ok(progress.some((l) => /^… collector: sending · logs: sending \(0\.\d s\)$/.test(l)), progress.join('\n'));
  assert.ok(progress.every((l) => /^… collector: \S+ · logs: \S+ \(\d+\.\d s\)$/.test(l)), progress.join('\n'));
});

runner('printHops: each hop’s verdict, evidence, error, cause and links, in that order', () => {
  const term = silentTerm();
  printHops(term, [
    { hop: 'honeycomb', sent: true, confirmed: true, ms: 1, links: { honeycomb: 'https://ui/h' }, evidence: 'found it' },
    { hop: 'xray', sent: false, confirmed: false, ms: 1, links: {}, error: 'broke', cause: 'AWS' },
  ]);
  assert.equal(term.lines, ['', 'honeycomb: confirmed — found it', '  honeycomb: https://ui/h', 'xray: not confirmed', '  error: broke', '  likely cause: AWS']);
});

// The runner's suite first: its runs go through every hop and confirmation, so most bugs stop there.
runner('runner: the run’s marker goes on the service’s dataset, or on the whole environment’s graphs while that dataset does not exist yet (Honeycomb answers a marker on it 404)', async (c) => {
  const settings = settingsOf(c, { OTEL_SERVICE_NAME: 'brand-new-service' });
  const pf = await preflight(settings, AbortSignal.timeout(2000));
  const term = silentTerm();
  const sent = [{ hop: 'honeycomb', sent: true, confirmed: true } as HopResult];
  await leaveMarker(pf, settings, sent, Date.now(), term);
  const marker = c.clouds.honeycomb.config(KEYS.enterprise).markers.at(-1)!;
  assert.is(marker.dataset, '__all__');
  assert.match(term.lines.join('\n'), /^marker "smoke \S+ passed" left on the environment's graphs \(dataset brand-new-service does not exist yet\)$/m);
  c.clouds.honeycomb.addDataset(KEYS.enterprise, 'brand-new-service', new Date().toISOString());
  const again = silentTerm();
  await leaveMarker(pf, settings, sent, Date.now(), again);
  assert.is(c.clouds.honeycomb.config(KEYS.enterprise).markers.at(-1)!.dataset, 'brand-new-service');
  assert.match(again.lines.join('\n'), /^marker "smoke \S+ passed" left on dataset brand-new-service's graphs$/m);
});

runner.run();
helpers.run();
hops.run();
confirmation.run();
