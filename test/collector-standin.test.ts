// The collector stand-in is a hypothesis about otelcol-contrib 0.157.0: these pin down the
// behaviours it copies from the upstream sources named in its files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReceivedLog, ReceivedSpan } from '../scripts/lib/otlp/decode.ts';
import { expandEnv, featureGates, loadConfig, mergeConfig } from '../testkit/collector-standin/config.ts';
import { cwLogMessage } from '../testkit/collector-standin/cloudwatch-logs.ts';
import { amazonTraceId, fixAnnotationKey, makeSegment } from '../testkit/collector-standin/xray-segments.ts';
import { composeConfigs, composeGates } from '../testkit/collector.ts';

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

const ENV = { HONEYCOMB_API_KEY: 'k', HONEYCOMB_API_ENDPOINT: 'http://hny', AWS_ENDPOINT_URL_XRAY: 'http://xr', AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://cwl', FRONTEND_URL: 'http://site' };
const HONEYCOMB = { id: 'otlp_http/honeycomb', kind: 'otlp_http', endpoint: 'http://hny', headers: { 'x-honeycomb-team': 'k' } };

t('the project config loads: OTLP/HTTP with CORS, health, Honeycomb with its header, X-Ray with its indexed attributes', () => {
  const config = loadConfig(composeConfigs({}), ENV);
  assert.equal(config.warnings, [], 'no deprecated component');
  assert.equal(config.otlpHttp, { host: '0.0.0.0', port: 4318, corsOrigins: ['http://site'], corsHeaders: ['content-type', 'traceparent', 'tracestate', 'baggage'] });
  assert.equal(config.health, { host: '0.0.0.0', port: 13133 });
  assert.equal(config.pipelines.traces, [HONEYCOMB, { id: 'awsxray', kind: 'awsxray', region: 'us-east-1', endpoint: 'http://xr', indexed: ['app.smoke_id', 'app.user_handle'] }]);
});

t('logs go to Honeycomb, and to CloudWatch Logs only with CLOUDWATCH_LOGS=true (the second --config)', () => {
  assert.match(composeConfigs({}).at(-1)!, /otel-collector\/logs-cloudwatch-false\.yaml$/);
  assert.equal(loadConfig(composeConfigs({}), ENV).pipelines.logs, [HONEYCOMB]);
  const on = loadConfig(composeConfigs({ CLOUDWATCH_LOGS: 'true' }), { ...ENV, CLOUDWATCH_LOG_STREAM: 'ws-1' });
  assert.equal(on.pipelines.logs, [HONEYCOMB, { id: 'awscloudwatchlogs', kind: 'awscloudwatchlogs', group: 'cruddur', stream: 'ws-1', retention: 3, region: 'us-east-1', endpoint: 'http://cwl' }]);
  assert.equal(on.pipelines.traces.map((e) => e.id), ['otlp_http/honeycomb', 'awsxray'], 'the traces pipeline is untouched by the merge');
  // Any other value names a file that does not exist, and the collector stops at start-up.
  assert.throws(() => loadConfig(composeConfigs({ CLOUDWATCH_LOGS: 'yes' }), ENV), /logs-cloudwatch-yes\.yaml: no such file or directory/);
});

t('config files merge as confmap does: maps key by key, lists replaced', () => {
  const merged = mergeConfig({ service: { extensions: ['a'], pipelines: { traces: { exporters: ['x', 'y'] }, logs: { exporters: ['x'] } } } }, { service: { pipelines: { logs: { exporters: ['z'] } } } });
  assert.equal(merged, { service: { extensions: ['a'], pipelines: { traces: { exporters: ['x', 'y'] }, logs: { exporters: ['z'] } } } });
});

t('it refuses what otelcol refuses, and warns of the deprecated otlphttp name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otelcol-'));
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const pipeline = (exporter: string) => `receivers: {otlp: {protocols: {http: {endpoint: 0.0.0.0:4318}}}}\nexporters: {${exporter}: {endpoint: http://x}}\nservice: {pipelines: {traces: {receivers: [otlp], exporters: [${exporter}]}}}\n`;
  assert.match(loadConfig([write('old.yaml', pipeline('otlphttp/x'))], {}).warnings[0]!, /"otlphttp" alias is deprecated; use "otlp_http" instead/);
  assert.throws(() => loadConfig([write('bad.yaml', pipeline('kafka'))], {}), /'exporters' unknown type: "kafka"/);
  assert.throws(() => loadConfig([write('grpc.yaml', 'receivers: {otlp: {protocols: {grpc: {}}}}\nservice: {pipelines: {traces: {receivers: [otlp]}}}\n')], {}), /serves OTLP\/HTTP only/);
  const logs = (exporter: string) => `receivers: {otlp: {protocols: {http: {}}}}\nexporters: {awscloudwatchlogs: ${exporter}}\nservice: {pipelines: {traces: {receivers: [otlp]}, logs: {receivers: [otlp], exporters: [awscloudwatchlogs]}}}\n`;
  assert.throws(() => loadConfig([write('nogroup.yaml', logs('{log_stream_name: s}'))], {}), /'log_group_name' must be set/);
  assert.throws(() => loadConfig([write('retention.yaml', logs('{log_group_name: g, log_stream_name: s, log_retention: 2}'))], {}), /invalid value for retention policy/);
  assert.throws(() => loadConfig([write('xraylogs.yaml', 'receivers: {otlp: {protocols: {http: {}}}}\nexporters: {awsxray: {}}\nservice: {pipelines: {traces: {receivers: [otlp]}, logs: {receivers: [otlp], exporters: [awsxray]}}}\n')], {}), /exporter "awsxray" does not support logs/);
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

const record = (over: Partial<ReceivedLog> = {}): ReceivedLog => ({
  timeMs: 1_700_000_000_123,
  severityNumber: 9,
  severityText: 'INFO',
  body: 'request',
  attributes: { status: 200, route: '/api/activities/home' },
  traceId: 'ab'.repeat(16),
  spanId: 'cd'.repeat(8),
  resource: { 'service.name': 'backend-flask', 'host.name': 'h' },
  scope: 'backend-flask-ts',
  scopeVersion: '',
  flags: 1,
  droppedAttributesCount: 0,
  ...over,
});

t('a CloudWatch message is the exporter’s cwLogBody JSON: declared order, empty fields left out, map keys sorted', () => {
  assert.is(
    cwLogMessage(record()),
    `{"body":"request","severity_number":9,"severity_text":"INFO","flags":1,"trace_id":"${'ab'.repeat(16)}","span_id":"${'cd'.repeat(8)}","attributes":{"route":"/api/activities/home","status":200},"scope":{"name":"backend-flask-ts"},"resource":{"host.name":"h","service.name":"backend-flask"}}`,
  );
  assert.is(cwLogMessage(record({ traceId: '', spanId: '', flags: 0, attributes: {}, scope: '' })), '{"body":"request","severity_number":9,"severity_text":"INFO","resource":{"host.name":"h","service.name":"backend-flask"}}');
});

t.run();
