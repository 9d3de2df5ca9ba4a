// The smoke in one process (harness.ts): hop.ts's helpers and the runner's printing, the fast part:
// the collector's path, posting to it, the baseline stamp, the OTLP/JSON records and the verdicts' lines.
import * as assert from 'uvu/assert';
import { KEYS } from '../../../../testkit/honeycomb.ts';
import { canaryTrace, recorder } from '../../../lib/otlp/canary.ts';
import { baselineWrite, traceTarget } from '../../../smoke/confirm.ts';
import { collectorPath, collectorTraces, defineHop, ok, otlpString, postToCollector, stamped, toSpanLike } from '../../../smoke/hops/hop.ts';
import { smokeLogRecord } from '../../../smoke/hops/logs.ts';
import { smokeMetric } from '../../../smoke/hops/metrics.ts';
import type { HopResult } from '../../../smoke/result.ts';
import { leaveMarker } from '../../../smoke/marker.ts';
import { preflight } from '../../../smoke/preflight.ts';
import { printHops } from '../../../smoke/runner.ts';
import { silentTerm } from '../../../lib/terminal/term.ts';

import { NO_CLOUDS, context, section, settingsOf, status } from './harness.ts';

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

helpers('printHops: each hop’s verdict, evidence, error, cause and links, in that order', () => {
  const term = silentTerm();
  printHops(term, [
    { hop: 'honeycomb', sent: true, confirmed: true, ms: 1, links: { honeycomb: 'https://ui/h' }, evidence: 'found it' },
    { hop: 'xray', sent: false, confirmed: false, ms: 1, links: {}, error: 'broke', cause: 'AWS' },
  ]);
  assert.equal(term.lines, ['', 'honeycomb: confirmed — found it', '  honeycomb: https://ui/h', 'xray: not confirmed', '  error: broke', '  likely cause: AWS']);
});

helpers('printHops: a browser hop’s journey, each step’s time or ✘, the first page’s load and LCP, and each step’s note', () => {
  const term = silentTerm();
  const journey = (loadMs?: number, lcpMs?: number) => ({
    steps: [
      { name: 'home feed', ms: 1234 },
      { name: 'post a crud', ms: 0, error: 'no button', note: 'the form never opened' },
    ],
    ...(loadMs === undefined ? {} : { loadMs }),
    ...(lcpMs === undefined ? {} : { lcpMs }),
  });
  const browser = (j: ReturnType<typeof journey>) => ({ hop: 'browser', sent: true, confirmed: false, ms: 1, links: {}, journey: j }) as unknown as HopResult;
  printHops(term, [browser(journey(850, 1500)), browser(journey(850)), browser(journey())]);
  assert.equal(term.lines, [
    '',
    'browser: not confirmed',
    '  journey: home feed 1.23 s · post a crud ✘; first page load 0.85 s, LCP 1.50 s',
    '  ! post a crud: the form never opened',
    'browser: not confirmed',
    '  journey: home feed 1.23 s · post a crud ✘; first page load 0.85 s',
    '  ! post a crud: the form never opened',
    'browser: not confirmed',
    '  journey: home feed 1.23 s · post a crud ✘',
    '  ! post a crud: the form never opened',
  ]);
});

helpers('the run’s marker: its message, type and start time, for a run that sent anything with a key that may mark; another error than 404 is said, not tried again on the whole environment', async (c) => {
  c.clouds.honeycomb.addDataset(KEYS.enterprise, 'marked', new Date().toISOString());
  const settings = settingsOf(c, { OTEL_SERVICE_NAME: 'marked' });
  const pf = await preflight(settings, AbortSignal.timeout(2000));
  const markers = () => c.clouds.honeycomb.config(KEYS.enterprise).markers;
  const startedAt = Date.UTC(2026, 11, 7, 10, 0, 0, 999);
  const r = (hop: string, sent: boolean, confirmed: boolean) => ({ hop, sent, confirmed }) as HopResult;
  const term = silentTerm();
  await leaveMarker(pf, settings, [r('honeycomb', true, true), r('xray', false, false), r('collector', true, false)], startedAt, term);
  const [marker] = markers().slice(-1);
  assert.match(marker!.message!, /^smoke 2026-12-07T10:00:00Z-[0-9a-f]{4} failed \(xray, collector\)$/);
  assert.equal([marker!.dataset, marker!.type, marker!.start_time], ['marked', 'smoke', 1796637600]);
  assert.equal(term.lines, [`marker "${marker!.message}" left on dataset marked's graphs`]);
  // Nothing sent, or a key that may not mark: no marker, and nothing said.
  const count = markers().length;
  const quiet = silentTerm();
  await leaveMarker(pf, settings, [r('honeycomb', false, false)], startedAt, quiet);
  await leaveMarker(await preflight(settingsOf(c, { HONEYCOMB_API_KEY: KEYS.ingest }), AbortSignal.timeout(2000)), settings, [r('honeycomb', true, true)], startedAt, quiet);
  assert.equal([markers().length, quiet.lines], [count, []]);
  // Honeycomb failing: said once, with the error, and not tried again on __all__ (that is for a 404).
  c.clouds.honeycomb.setMode('server-error');
  const calls = c.clouds.honeycomb.calls.length;
  const failing = silentTerm();
  await leaveMarker(pf, settings, [r('honeycomb', true, true)], startedAt, failing);
  assert.equal(c.clouds.honeycomb.calls.slice(calls), ['POST /1/markers/marked']);
  assert.is(failing.lines.length, 1);
  assert.match(failing.lines[0]!, /^no marker left on dataset marked: \S/);
});

helpers.run();
