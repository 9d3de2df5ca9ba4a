import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { startBackendProcess } from '../lib/workspace/backend-process.ts';
import { newSmokeId, recorder, smokeHeaders } from '../lib/otlp/canary.ts';
import type { ReceivedLog, ReceivedSpan } from '../lib/otlp/decode.ts';
import { sendSpans } from '../lib/otlp/send.ts';
import { startOtlpSink } from '../lib/otlp/sink.ts';
import type { Settings } from '../lib/workspace/settings.ts';
import type { Term } from '../lib/terminal/term.ts';
import type { HopResult } from './result.ts';
import { waterfall } from './waterfall.ts';

const PATHS = ['/api/activities/home', '/api/activities/@andrewbrown'];

export interface Check {
  ok: boolean;
  what: string;
}

/** What a working local pipeline must show: one trace, no orphans, propagation, custom spans and logs. */
export function judgeLocalTrace(spans: ReceivedSpan[], rootSpanId: string, clientSpanIds: string[], smokeId: string, logs: ReceivedLog[] = []): Check[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const server = spans.filter((s) => s.kind === 2 && s.resource['telemetry.sdk.name'] !== 'cruddur-smoke');
  const backend = spans.filter((s) => s.resource['telemetry.sdk.name'] !== 'cruddur-smoke');
  const custom = (name: string) => spans.find((s) => s.name === name);
  const descends = (span: ReceivedSpan | undefined, ancestor: string): boolean => {
    for (let s = span; s; s = spans.find((p) => p.spanId === s!.parentSpanId)) if (s.parentSpanId === ancestor) return true;
    return false;
  };
  const home = custom('home-activities-mock-data');
  const user = custom('user-activities-mock-data');
  return [
    { ok: ids.has(rootSpanId), what: 'the smoke root span arrived' },
    { ok: spans.every((s) => s.spanId === rootSpanId || ids.has(s.parentSpanId)), what: 'every span’s parent is in the trace (no orphans)' },
    {
      ok: server.length === PATHS.length && server.every((s) => clientSpanIds.includes(s.parentSpanId)),
      what: `the backend joined the trace: ${server.length}/${PATHS.length} server spans are children of the smoke’s requests (traceparent propagated)`,
    },
    {
      ok: Boolean(home && home.attributes['app.result_length'] === 3 && descends(home, clientSpanIds[0]!)),
      what: 'home-activities-mock-data span with app.result_length=3 under GET /api/activities/home',
    },
    {
      ok: Boolean(user && user.attributes['app.user_handle'] === 'andrewbrown' && descends(user, clientSpanIds[1]!)),
      what: 'user-activities-mock-data span with app.user_handle=andrewbrown under GET /api/activities/@andrewbrown',
    },
    {
      ok: backend.length > 0 && backend.every((s) => s.attributes['app.smoke_id'] === smokeId),
      what: 'the backend’s spans carry app.smoke_id from baggage (how a remote smoke finds them)',
    },
    {
      ok: server.length > 0 && server.every((s) => logs.some((l) => l.body === 'request' && l.traceId === s.traceId && l.spanId === s.spanId)),
      what: `each request’s log line arrived as an OTLP log record with its server span’s ids: ${logs.filter((l) => l.body === 'request').length}/${PATHS.length}`,
    },
  ];
}

/**
 * The local default: no cloud account needed. Starts backend-flask-ts exporting to an OTLP
 * sink on this machine, sends the smoke's requests through it inside one trace, and checks
 * the spans and log records that arrive.
 */
export async function runLocal(settings: Settings, term: Term, timeoutMs: number): Promise<HopResult & { checks: Check[] }> {
  const c = term.color;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const smokeId = newSmokeId('local');
  const sink = await startOtlpSink();
  term.progress(`${c.dim('…')} starting backend-flask-ts against a local trace sink (${sink.url})`);
  let backend: Awaited<ReturnType<typeof startBackendProcess>> | undefined;
  try {
    backend = await startBackendProcess({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: settings.serviceName.value },
    });
    term.done(`${c.green('✔')} backend-flask-ts started, exporting to the local sink ${c.dim(`(${elapsed()})`)}`);

    const { tracer, finished } = recorder('cruddur-smoke');
    const root = tracer.startSpan('smoke local', { attributes: { 'app.smoke_id': smokeId } }, ROOT_CONTEXT);
    const inRoot = trace.setSpan(ROOT_CONTEXT, root);
    const clientSpanIds: string[] = [];
    for (const path of PATHS) {
      const client = tracer.startSpan(`GET ${path}`, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.path': path } }, inRoot);
      clientSpanIds.push(client.spanContext().spanId);
      const res = await fetch(backend.url + path, { headers: smokeHeaders(client, smokeId), signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      client.setAttribute('http.response.status_code', res.status);
      client.end();
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    }
    root.end();
    const traceId = root.spanContext().traceId;
    const sent = await sendSpans(finished(), `${sink.url}/v1/traces`);
    if (!sent.ok) throw new Error(`the local sink refused the smoke's spans: ${sent.error}`);
    term.done(`${c.green('✔')} sent smoke trace ${traceId} ${c.dim(`(smoke id ${smokeId})`)}`);

    const deadline = AbortSignal.timeout(timeoutMs);
    const ticker = setInterval(() => {
      const n = sink.spans.filter((s) => s.traceId === traceId).length;
      term.progress(`${c.dim('…')} waiting for the backend's spans: ${n} arrived ${c.dim(`(${elapsed()})`)}`);
    }, 100);
    const isDone = (s: ReceivedSpan) => s.traceId === traceId && /^(home|user)-activities-mock-data$/.test(s.name);
    await sink.until(isDone, 2, deadline);
    // Server spans end after their children: one more export interval lets them in too.
    await sink.until((s) => s.traceId === traceId && s.kind === 2 && s.resource['telemetry.sdk.name'] !== 'cruddur-smoke', PATHS.length, deadline);
    await sink.untilLogs((l) => l.traceId === traceId && l.body === 'request', PATHS.length, deadline);
    clearInterval(ticker);
    const spans = sink.spans.filter((s) => s.traceId === traceId);
    const checks = judgeLocalTrace(spans, root.spanContext().spanId, clientSpanIds, smokeId, sink.logs.filter((l) => l.traceId === traceId));
    const ok = checks.every((x) => x.ok);

    term.out();
    term.out(c.bold(`trace ${traceId}`) + c.dim(`  (X-Ray id 1-${traceId.slice(0, 8)}-${traceId.slice(8)})`));
    for (const line of waterfall(spans, c)) term.out(line);
    term.out();
    for (const check of checks) term.out(`${check.ok ? c.green('✔') : c.red('✘')} ${check.what}`);
    const error = ok
      ? undefined
      : deadline.aborted
        ? `Timed out after ${timeoutMs / 1000}s waiting for: ${checks.filter((x) => !x.ok).map((x) => x.what).join('; ')}`
        : `the trace is incomplete: ${checks.filter((x) => !x.ok).map((x) => x.what).join('; ')}`;
    return { hop: 'local', sent: true, confirmed: ok, ms: Math.round(performance.now() - started), traceId, smokeId, links: {}, error, checks };
  } finally {
    term.progress(`${c.dim('…')} stopping the backend (flushing its spans)`);
    await backend?.stop();
    await sink.close();
  }
}
