import { request } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackend, type Backend } from '../../testkit/backend.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../../testkit/otlp-receiver.ts';
import type { ReceivedSpan } from '../../scripts/lib/otlp/decode.ts';
import { BOARD_QUERIES } from '../../scripts/lib/honeycomb/board.ts';
import { columnTypeMismatches, missingColumns } from '../../testkit/honeycomb-columns.ts';

const SERVER = 2; // SpanKind.SERVER in OTLP
const STATUS_ERROR = 2;
const PARITY_KEYS = ['http.request.method', 'url.scheme', 'url.path', 'url.query', 'server.address', 'server.port', 'client.address', 'network.peer.address', 'network.protocol.version', 'user_agent.original', 'http.response.status_code', 'http.route'];
const postInTwoParts = (url: string, head: string, tail: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.write(head);
    setTimeout(() => req.end(tail), 50);
  });
const pick = (attributes: Record<string, unknown>) => Object.fromEntries(PARITY_KEYS.map((k) => [k, attributes[k]]));

for (const protocol of ['http/protobuf', 'http/json']) {
  const t = suite<{ rx: OtlpReceiver; be: Backend }>(`tracing over ${protocol}`);
  t.before(async (ctx) => {
    ctx.rx = await startOtlpReceiver();
    ctx.be = await startBackend({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: ctx.rx.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=test-key-not-real',
        ENABLE_DEBUG_ROUTES: 'true',
      },
    });
  });
  t.after(async (ctx) => {
    await ctx.be.stop();
    await ctx.rx.close();
  });

  const serverSpan = (rx: OtlpReceiver, path: string) =>
    rx.waitForSpans((s) => s.kind === SERVER && s.attributes['url.path'] === path).then((s) => s[0] as ReceivedSpan);

  t('every request gets a server span with the route, method and status', async ({ rx, be }) => {
    assert.is((await be.get('/api/activities/home')).status, 200);
    const span = await serverSpan(rx, '/api/activities/home');
    assert.is(span.name, 'GET /api/activities/home');
    assert.is(span.attributes['http.route'], '/api/activities/home');
    assert.is(span.attributes['http.request.method'], 'GET');
    assert.is(span.attributes['http.response.status_code'], 200);
    assert.is(span.resource['service.name'], 'backend-flask');
  });

  t('the home feed has the custom span with app.now and app.result_length, inside the request', async ({ rx }) => {
    const [custom] = await rx.waitForSpans((s) => s.name === 'home-activities-mock-data');
    const server = await serverSpan(rx, '/api/activities/home');
    assert.is(custom!.traceId, server.traceId);
    assert.is(custom!.attributes['app.result_length'], 3);
    assert.ok(!Number.isNaN(Date.parse(String(custom!.attributes['app.now']))));
    // Its parent is the server span: one tree, two spans (no Express layer span between).
    assert.is(custom!.parentSpanId, server.spanId);
    assert.is(rx.spans.filter((s) => s.traceId === server.traceId).length, 2);
  });

  t("a user's page has the user-activities span carrying the handle", async ({ rx, be }) => {
    assert.is((await be.get('/api/activities/@worf')).status, 200);
    const [span] = await rx.waitForSpans((s) => s.name === 'user-activities-mock-data');
    assert.is(span!.attributes['app.user_handle'], 'worf');
    const server = await serverSpan(rx, '/api/activities/@worf');
    assert.is(server.attributes['http.route'], '/api/activities/@:handle');
    assert.is(span!.traceId, server.traceId);
  });

  t('trace ids are X-Ray compatible: the first 8 hex digits are the epoch second', async ({ rx }) => {
    const server = await serverSpan(rx, '/api/activities/home');
    const seconds = parseInt(server.traceId.slice(0, 8), 16);
    assert.ok(Math.abs(seconds - Date.now() / 1000) < 120, `trace id ${server.traceId} does not start with the time`);
  });

  t('an incoming W3C traceparent joins the caller’s trace', async ({ rx, be }) => {
    const traceId = `${Math.floor(Date.now() / 1000).toString(16)}${'ab'.repeat(12)}`;
    const parent = '1234567890abcdef';
    await be.get('/api/activities/notifications', { traceparent: `00-${traceId}-${parent}-01` });
    const server = await serverSpan(rx, '/api/activities/notifications');
    assert.is(server.traceId, traceId);
    assert.is(server.parentSpanId, parent);
  });

  t('an incoming X-Amzn-Trace-Id joins the X-Ray trace', async ({ rx, be }) => {
    await be.get('/api/message_groups', {
      'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    const server = await serverSpan(rx, '/api/message_groups');
    assert.is(server.traceId, '5759e988bd862e3fe1be46a994272793');
    assert.is(server.parentSpanId, '53995c3f42cd8ad8');
  });

  t('a client error keeps the span status unset and records the 4xx', async ({ rx, be }) => {
    const res = await be.post('/api/activities', '{"message":"","ttl":"7-days"}');
    assert.is(res.status, 422);
    const [server] = await rx.waitForSpans(
      (s) => s.kind === SERVER && s.attributes['http.request.method'] === 'POST' && s.attributes['http.response.status_code'] === 422,
    );
    assert.is(server!.status.code, 0);
  });

  t('a server error marks the span as an error with the exception recorded', async ({ rx, be }) => {
    const res = await be.get('/api/debug/error');
    assert.is(res.status, 500);
    const body = (await res.json()) as { trace_id: string; errors: { code: string }[] };
    assert.is(body.errors[0]!.code, 'internal_error');
    const server = await serverSpan(rx, '/api/debug/error');
    assert.is(server.status.code, STATUS_ERROR);
    assert.is(body.trace_id, server.traceId, 'the 500 body names the trace to look up');
    const handler = rx.spans.find((s) => s.traceId === server.traceId && s.events.some((e) => e.name === 'exception'));
    assert.ok(handler, 'an exception event is on a span of the trace');
    assert.match(String(handler!.events[0]!.attributes['exception.message']), /deliberate/);
  });

  // The attributes below are those @opentelemetry/instrumentation-http 0.301 sets on a server
  // span (src/utils.ts getIncomingRequestAttributes, getServerAddress, getRemoteClientAddress),
  // which this backend's own server-span middleware must keep: students' queries name them.
  t('the server span carries the HTTP semantic conventions, with secrets in the query redacted', async ({ rx, be }) => {
    const port = Number(new URL(be.url).port);
    await be.get('/api/activities/search?term=cloud&Signature=s3cr3t', { 'user-agent': 'parity-test/1.0' });
    const span = await serverSpan(rx, '/api/activities/search');
    assert.equal(pick(span.attributes), {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/api/activities/search',
      'url.query': 'term=cloud&Signature=REDACTED',
      'server.address': '127.0.0.1',
      'server.port': port,
      'client.address': '::ffff:127.0.0.1', // the server listens dual-stack
      'network.peer.address': '::ffff:127.0.0.1',
      'network.protocol.version': '1.1',
      'user_agent.original': 'parity-test/1.0',
      'http.response.status_code': 200,
      'http.route': '/api/activities/search',
    });
    assert.type(span.attributes['network.peer.port'], 'number');
    assert.is(span.attributes['error.type'], undefined);
  });

  t('behind a proxy, the client and host come from X-Forwarded-* and Forwarded', async ({ rx, be }) => {
    await be.get('/api/activities/@proxied', {
      'x-forwarded-for': '203.0.113.7, 10.0.0.1',
      'x-forwarded-host': 'cruddur.example:3000',
      'x-forwarded-proto': 'https',
    });
    const proxied = await serverSpan(rx, '/api/activities/@proxied');
    assert.is(proxied.attributes['client.address'], '203.0.113.7');
    assert.is(proxied.attributes['server.address'], 'cruddur.example');
    assert.is(proxied.attributes['server.port'], 3000);
    await be.get('/api/activities/@forwarded', { forwarded: 'for="198.51.100.17:4711";host=app.example;proto=https' });
    const forwarded = await serverSpan(rx, '/api/activities/@forwarded');
    assert.is(forwarded.attributes['client.address'], '198.51.100.17');
    assert.is(forwarded.attributes['server.address'], 'app.example');
    assert.is(forwarded.attributes['server.port'], 443);
  });

  t('a request no route matches keeps the bare method as its name and has no http.route', async ({ rx, be }) => {
    assert.is((await be.get('/api/no-such-thing')).status, 404);
    const span = await serverSpan(rx, '/api/no-such-thing');
    assert.is(span.name, 'GET');
    assert.is(span.attributes['http.route'], undefined);
    assert.is(span.attributes['http.response.status_code'], 404);
    assert.is(span.status.code, 0);
  });

  t('a POST handler runs inside its server span, after a body that arrives later', async ({ rx, be }) => {
    // The body's second half comes 50 ms after the headers, so the handler runs from a later
    // socket event, where only a bound request keeps the span.
    const res = await postInTwoParts(`${be.url}/api/debug/error`, '{"message":', '"x"}');
    assert.is(res.status, 500);
    const body = JSON.parse(res.body) as { trace_id: string };
    const [server] = await rx.waitForSpans((s) => s.kind === SERVER && s.attributes['url.path'] === '/api/debug/error' && s.attributes['http.request.method'] === 'POST');
    assert.is(body.trace_id, server!.traceId);
    assert.is(server!.name, 'POST /api/debug/error');
    assert.is(server!.attributes['error.type'], '500');
    assert.is(server!.status.code, STATUS_ERROR);
    assert.ok(server!.events.some((e) => e.name === 'exception'), 'the exception is recorded on the server span');
  });

  t('OTEL_EXPORTER_OTLP_HEADERS reach the endpoint, as Honeycomb needs', async ({ rx }) => {
    assert.ok(rx.requests.length > 0);
    for (const r of rx.requests) assert.is(r.headers['x-honeycomb-team'], 'test-key-not-real');
    const expected = protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
    assert.ok(rx.requests.every((r) => r.contentType.startsWith(expected)), `every export is ${expected}`);
  });

  t('each request’s JSON log line carries its trace and span ids', async ({ rx, be }) => {
    const server = await serverSpan(rx, '/api/activities/home');
    const line = be.logs.find((l) => l.msg === 'request' && l.path === '/api/activities/home');
    assert.ok(line, 'a request log line');
    assert.is(line!.trace_id, server.traceId);
    assert.is(line!.span_id, server.spanId);
    assert.is(line!.xray_trace_id, `1-${server.traceId.slice(0, 8)}-${server.traceId.slice(8)}`);
  });

  t('each request’s log line also reaches the collector as an OTLP log record in its trace', async ({ rx, be }) => {
    await be.get('/api/activities/@logged');
    const server = await serverSpan(rx, '/api/activities/@logged');
    const [record] = await rx.waitForLogs((l) => l.body === 'request' && l.attributes.path === '/api/activities/@logged');
    assert.is(record!.traceId, server.traceId);
    assert.is(record!.spanId, server.spanId);
    assert.is(record!.severityText, 'INFO');
    assert.is(record!.severityNumber, 9);
    assert.is(record!.attributes.route, '/api/activities/@:handle');
    assert.is(record!.attributes.status, 200);
    assert.is(record!.resource['service.name'], 'backend-flask');
    const line = be.logs.find((l) => l.msg === 'request' && l.path === '/api/activities/@logged');
    assert.is(line?.trace_id, server.traceId, 'stdout keeps the JSON line');
  });

  t('an error log carries the error as text and the ERROR severity', async ({ rx, be }) => {
    await be.get('/api/debug/error');
    const [record] = await rx.waitForLogs((l) => l.body === 'request failed');
    assert.is(record!.severityNumber, 17);
    assert.is(record!.attributes.error, 'Error: debug route: this error is deliberate');
    assert.ok(record!.traceId, 'inside the request: it has a trace id');
  });

  t('the week’s board queries for the backend name only columns these spans have in Honeycomb', async ({ rx }) => {
    await serverSpan(rx, '/api/debug/error'); // an error span, for the error column
    const queries = BOARD_QUERIES.filter((q) => q.service === 'backend');
    assert.ok(queries.length >= 3);
    assert.equal(missingColumns(queries, 'backend', rx.spans), {});
    // The columns the board makes ahead of the data have the types these spans' values give them.
    assert.equal(columnTypeMismatches('backend', queries, rx.spans), {});
  });

  t('health checks are not traced, so container probes do not flood the dataset', async ({ rx, be }) => {
    assert.is((await be.get('/api/health-check')).status, 200);
    await be.get('/api/activities/search?term=cloud');
    await serverSpan(rx, '/api/activities/search');
    assert.not.ok(rx.spans.some((s) => s.attributes['url.path'] === '/api/health-check'));
  });

  t.run();
}

const lifecycle = suite('tracing configuration and shutdown');

lifecycle('SIGTERM flushes spans that the batch processor still holds', async () => {
  const rx = await startOtlpReceiver();
  const be = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_BSP_SCHEDULE_DELAY: '60000' } });
  try {
    // The answer has arrived, so every span of the request has ended and waits in the batch.
    await (await be.get('/api/activities/home')).arrayBuffer();
    assert.is(rx.spans.length, 0, 'nothing exported before the stop');
    assert.is(await be.stop(), 0);
    assert.ok(rx.spans.some((s) => s.name === 'home-activities-mock-data'), 'the pending spans arrived on stop');
  } finally {
    await be.stop();
    await rx.close();
  }
});

lifecycle('OTEL_SERVICE_NAME and OTEL_TRACES_SAMPLER are honoured', async () => {
  const rx = await startOtlpReceiver();
  const named = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_SERVICE_NAME: 'cruddur-api' } });
  await named.get('/api/activities/home');
  await named.stop();
  assert.ok(rx.spans.length > 0);
  assert.ok(rx.spans.every((s) => s.resource['service.name'] === 'cruddur-api'));

  rx.spans.length = 0;
  const off = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_TRACES_SAMPLER: 'always_off' } });
  assert.is((await off.get('/api/activities/home')).status, 200);
  await off.stop();
  assert.is(rx.spans.length, 0, 'always_off samples nothing');
  await rx.close();
});

lifecycle('an unsupported protocol is one clear error and the API still serves', async () => {
  const be = await startBackend({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } });
  assert.is((await be.get('/api/activities/home')).status, 200);
  await be.stop();
  const error = be.logs.find((l) => l.level === 'error');
  assert.match(String(error?.msg), /tracing is off/);
  assert.match(JSON.stringify(error), /http\/protobuf/);
});

lifecycle.run();

const baggage = suite('baggage');

baggage('an app.smoke_id baggage entry becomes an attribute of the backend’s spans', async () => {
  const rx = await startOtlpReceiver();
  const be = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url } });
  // A failing assertion must not leave the receiver and the backend running (the file would hang).
  try {
    await be.get('/api/activities/home', { baggage: 'app.smoke_id=smoke-123,other=not-copied' });
    const spans = await rx.waitForSpans((s) => s.name === 'home-activities-mock-data');
    await be.stop();
    const trace = rx.spans.filter((s) => s.traceId === spans[0]!.traceId);
    assert.is(trace.length, 2, 'the server span and the custom span');
    for (const s of trace) {
      assert.is(s.attributes['app.smoke_id'], 'smoke-123', s.name);
      assert.is(s.attributes.other, undefined);
    }
  } finally {
    await be.stop();
    await rx.close();
  }
});

baggage.run();
