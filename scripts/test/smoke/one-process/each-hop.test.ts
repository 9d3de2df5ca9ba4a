// The smoke in one process (harness.ts): each hop, when it runs, where it must be confirmed, what its
// failure means (its likely cause), and each send's words when its server refuses, fails or never answers.
import * as assert from 'uvu/assert';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { decodeTraces } from '../../../lib/otlp/decode.ts';
import { confirmXray } from '../../../smoke/confirm.ts';
import { backendHop } from '../../../smoke/hops/backend.ts';
import { browserHop } from '../../../smoke/hops/browser.ts';
import { collectorHop, configuredDestinations } from '../../../smoke/hops/collector.ts';
import type { Hop } from '../../../smoke/hops/hop.ts';
import { honeycombHop } from '../../../smoke/hops/honeycomb.ts';
import { logsHop } from '../../../smoke/hops/logs.ts';
import { metricsHop } from '../../../smoke/hops/metrics.ts';
import { xrayHop } from '../../../smoke/hops/xray.ts';
import type { HopResult } from '../../../smoke/result.ts';
import { NO_BROWSER } from '../../../../testkit/clouds.ts';

import { NO_CLOUDS, context, section, settingsOf, status } from './harness.ts';

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

hops.run();
