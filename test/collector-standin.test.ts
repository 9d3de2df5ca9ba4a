// The collector stand-in is a hypothesis about otelcol-contrib 0.157.0: these pin down the
// behaviours it copies from the upstream sources named in its files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReceivedSpan } from '../scripts/lib/otlp/decode.ts';
import { expandEnv, featureGates, loadConfig } from '../testkit/collector-standin/config.ts';
import { amazonTraceId, fixAnnotationKey, makeSegment } from '../testkit/collector-standin/xray-segments.ts';
import { composeGates } from '../testkit/collector.ts';

const CONFIG = join(import.meta.dirname, '..', 'otel-collector', 'config.yaml');
const t = suite('the collector stand-in');

const epochHex = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
const span = (over: Partial<ReceivedSpan>): ReceivedSpan => ({
  traceId: `${epochHex}${'a'.repeat(24)}`,
  spanId: '1'.repeat(16),
  parentSpanId: '',
  name: 'GET /api/activities/home',
  kind: 2,
  startMs: 1_700_000_000_000,
  endMs: 1_700_000_000_050,
  durationMs: 50,
  attributes: {},
  status: { code: 0 },
  events: [],
  resource: { 'service.name': 'backend-flask' },
  scope: 'test',
  ...over,
});

t('annotation keys keep dots while exporter.xray.allowDot is on, and become _ with it off', () => {
  assert.is(fixAnnotationKey('app.smoke_id', true), 'app.smoke_id');
  assert.is(fixAnnotationKey('app.smoke_id', false), 'app_smoke_id');
  assert.is(fixAnnotationKey('a-b c', true), 'a_b_c');
});

t('feature gates: on by default, -id turns one off, an unknown id fails start-up', () => {
  assert.equal(featureGates([]), { 'exporter.xray.allowDot': true });
  assert.equal(featureGates(['-exporter.xray.allowDot']), { 'exporter.xray.allowDot': false });
  assert.throws(() => featureGates(['-exporter.xray.allowDots']), /no such feature gate "exporter.xray.allowDots"/);
});

t('the compose command turns allowDot off, so the project config gives app_smoke_id', () => {
  assert.equal(featureGates(composeGates()), { 'exporter.xray.allowDot': false });
});

t('confmap env expansion: ${env:X} and ${env:X:-default}, the default also for an empty value', () => {
  assert.is(expandEnv('${env:A}|${env:B:-b}|${env:C:-c}', { A: 'a', C: '' }), 'a|b|c');
});

t('the project config loads: OTLP/HTTP with CORS, health, Honeycomb with its header, X-Ray with its indexed attributes', () => {
  const config = loadConfig([CONFIG], { HONEYCOMB_API_KEY: 'k', HONEYCOMB_API_ENDPOINT: 'http://hny', AWS_ENDPOINT_URL_XRAY: 'http://xr', FRONTEND_URL: 'http://site' });
  assert.equal(config.warnings, [], 'no deprecated component');
  assert.equal(config.otlpHttp, { host: '0.0.0.0', port: 4318, corsOrigins: ['http://site'], corsHeaders: ['content-type', 'traceparent', 'tracestate', 'baggage'] });
  assert.equal(config.health, { host: '0.0.0.0', port: 13133 });
  assert.equal(config.exporters, [
    { id: 'otlp_http/honeycomb', kind: 'otlp_http', endpoint: 'http://hny', headers: { 'x-honeycomb-team': 'k' } },
    { id: 'awsxray', kind: 'awsxray', region: 'us-east-1', endpoint: 'http://xr', indexed: ['app.smoke_id', 'app.user_handle'] },
  ]);
});

t('it refuses what otelcol refuses, and warns of the deprecated otlphttp name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otelcol-'));
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const pipeline = (exporter: string) => `receivers: {otlp: {protocols: {http: {endpoint: 0.0.0.0:4318}}}}\nexporters: {${exporter}: {endpoint: http://x}}\nservice: {pipelines: {traces: {receivers: [otlp], exporters: [${exporter}]}}}\n`;
  assert.match(loadConfig([write('old.yaml', pipeline('otlphttp/x'))], {}).warnings[0]!, /"otlphttp" alias is deprecated; use "otlp_http" instead/);
  assert.throws(() => loadConfig([write('bad.yaml', pipeline('kafka'))], {}), /'exporters' unknown type: "kafka"/);
  assert.throws(() => loadConfig([write('grpc.yaml', 'receivers: {otlp: {protocols: {grpc: {}}}}\nservice: {pipelines: {traces: {receivers: [otlp]}}}\n')], {}), /serves OTLP\/HTTP only/);
  assert.throws(() => loadConfig([write('missing.yaml', 'receivers: {otlp: {protocols: {http: {}}}}\nservice: {pipelines: {traces: {receivers: [otlp], exporters: [awsxray]}}}\n')], {}), /references exporter "awsxray" which is not configured/);
});

t('a server span is a segment named for the service, with the resource as metadata and the indexed attribute as an annotation', () => {
  const seg = makeSegment(span({ attributes: { 'app.smoke_id': 'smoke-1', 'http.request.method': 'GET', 'url.full': 'http://x/api', 'http.response.status_code': 200 } }), ['app.smoke_id'], false);
  assert.is(seg.name, 'backend-flask');
  assert.is(seg.trace_id, `1-${epochHex}-${'a'.repeat(24)}`);
  assert.is(seg.type, undefined);
  assert.equal(seg.annotations, { app_smoke_id: 'smoke-1' });
  assert.equal(seg.http, { request: { method: 'GET', url: 'http://x/api' }, response: { status: 200 } });
  assert.is(seg.metadata!.default!['otel.resource.service.name'], 'backend-flask');
  assert.equal([seg.fault, seg.error, seg.throttle], [false, false, false]);
});

t('a child that is not a server span is its own subsegment document, named by its span name', () => {
  const seg = makeSegment(span({ kind: 1, spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'home-activities-mock-data' }), [], false);
  assert.equal([seg.type, seg.parent_id, seg.name], ['subsegment', '1'.repeat(16), 'home-activities-mock-data']);
  assert.is(seg.metadata, undefined, 'no resource on a subsegment');
});

t('fault, error and throttle follow the http status first, then the span status (cause.go)', () => {
  const flags = (over: Partial<ReceivedSpan>) => {
    const s = makeSegment(span(over), [], false);
    return [s.fault, s.error, s.throttle];
  };
  assert.equal(flags({ attributes: { 'http.response.status_code': 503 } }), [true, false, false]);
  assert.equal(flags({ attributes: { 'http.response.status_code': 404 } }), [false, true, false]);
  assert.equal(flags({ attributes: { 'http.response.status_code': 429 } }), [false, true, true]);
  assert.equal(flags({ status: { code: 2 } }), [true, false, false]);
});

t('a trace id whose time part is over 28 days old is refused, as X-Ray would', () => {
  assert.throws(() => amazonTraceId(`00000001${'a'.repeat(24)}`), /invalid xray traceid/);
});

t.run();
