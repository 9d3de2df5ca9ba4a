import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { decodeLogs, decodeMetrics, decodeTraces, ExportLogsResponse, ExportMetricsResponse, ExportResponse, type ReceivedLog, type ReceivedSpan } from '../scripts/lib/otlp/decode.ts';
import { datasetSlug } from '../scripts/lib/honeycomb/api.ts';
import { listen, readBody, type ListenOn } from './http.ts';
import { configApi, newConfigStore, querySpecProblem, type ConfigStore } from './honeycomb-config-api.ts';

export interface FakeKey {
  team: { name: string; slug: string };
  environment: { name: string; slug: string };
  type: 'ingest' | 'configuration';
  /**
   * api_key_access as /1/auth reports it, by the Go client's field names (client/auth.go). The UI
   * names them (docs.honeycomb.io/working-with-your-data/settings/api-keys): events "Send Events",
   * createDatasets "Create Datasets", columns "Manage Queries and Columns", queries "Run Queries",
   * boards "Manage Public Boards", markers "Manage Markers".
   */
  access?: Partial<Record<'events' | 'markers' | 'triggers' | 'boards' | 'queries' | 'columns' | 'createDatasets' | 'slos' | 'recipients' | 'privateBoards', boolean>>;
  /** The team's plan allows the Query Data API (Enterprise). */
  enterprise?: boolean;
}

export interface FakeDataset {
  name: string;
  slug: string;
  created_at: string;
  last_written_at: string | null;
  events: FakeEvent[];
}

/**
 * A span, or a log record as Honeycomb stores it: an event whose fields are its attributes,
 * the OpenTelemetry `body` (the field that makes a dataset a log dataset), its severity, and
 * trace.trace_id / trace.span_id (docs.honeycomb.io/get-started/honeycomb/logs-in-honeycomb).
 */
export type FakeEvent = ReceivedSpan | (ReceivedLog & { startMs: number; signal: 'log' }) | { signal: 'metric'; startMs: number; resource: Record<string, unknown>; attributes: Record<string, unknown> };

export type HoneycombMode = 'ok' | 'rate-limited' | 'server-error' | 'garbled' | 'hang';

export interface HoneycombFakeOptions {
  keys?: Record<string, FakeKey>;
  latencyMs?: number;
  listenOn?: ListenOn;
  /**
   * How long this fake's minute lasts: the Query Data API's rate window and the granularity
   * query time ranges are truncated to. 60 000 as in Honeycomb; tests shorten it so the same
   * limits play out in less time, and tell the smoke the same length.
   */
  minuteMs?: number;
  /** How long a query result takes to complete (the API runs queries asynchronously). */
  queryMs?: number;
}

/** docs.honeycomb.io/api/rate-limit: creating query results is limited to 10 per minute. */
export const QUERY_RESULTS_PER_MINUTE = 10;

interface FakeQuery {
  dataset: string;
  filters: { column: string; op: string; value: unknown }[];
  breakdowns: string[];
  time_range: number;
}

/**
 * The Honeycomb API as its public docs describe it, for the routes the scripts use:
 * GET /1/auth, GET /1/datasets, the Query Data API (POST /1/queries/{dataset},
 * POST and GET /1/query_results/{dataset}), and OTLP/HTTP ingest at /v1/traces and /v1/logs,
 * which writes spans and log records into the dataset named by their service.name. Keys are
 * per environment.
 */
export async function startHoneycombFake(options: HoneycombFakeOptions = {}) {
  const keys = new Map(Object.entries(options.keys ?? {}));
  const datasets = new Map<string, Map<string, FakeDataset>>(); // environment slug -> slug -> dataset
  const queries = new Map<string, FakeQuery>();
  const results = new Map<string, { readyAt: number; data: { results: { data: Record<string, unknown> }[] } }>();
  const minuteMs = options.minuteMs ?? 60_000;
  const queryMs = options.queryMs ?? Math.min(500, minuteMs / 10);
  const state = { mode: 'ok' as HoneycombMode, latencyMs: options.latencyMs ?? 0, calls: [] as string[], arrivals: [] as { call: string; at: number }[], queryResults: [] as number[], rateLimited: 0 };

  // docs.honeycomb.io/api/rate-limit: a v1 endpoint's 429 is an RFC 7807 problem detail.
  const rateLimited = (res: ServerResponse, headers: Record<string, string> = {}) =>
    json(res, 429, { status: 429, type: 'https://api.honeycomb.io/problems/rate-limited', title: 'You have exceeded your rate limit.', error: 'You have exceeded your rate limit.' }, headers);

  const configStores = new Map<string, ConfigStore>();
  const envConfig = (k: FakeKey) => {
    const id = `${k.team.slug}/${k.environment.slug}`;
    if (!configStores.has(id)) configStores.set(id, newConfigStore());
    return configStores.get(id)!;
  };
  const envDatasets = (k: FakeKey) => {
    const id = `${k.team.slug}/${k.environment.slug}`;
    if (!datasets.has(id)) datasets.set(id, new Map());
    return datasets.get(id)!;
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const unknownKey = (res: ServerResponse) => json(res, 401, { error: 'unknown API key - check your credentials' });

  const running = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    state.calls.push(`${req.method} ${url.pathname}`);
    state.arrivals.push({ call: `${req.method} ${url.pathname}`, at: performance.now() });
    if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs));
    switch (state.mode) {
      case 'hang':
        return;
      case 'rate-limited':
        return rateLimited(res, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
      case 'server-error':
        return json(res, 503, { error: 'service unavailable' });
      case 'garbled':
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway</html>');
    }
    const key = keys.get(String(req.headers['x-honeycomb-team'] ?? ''));
    if (!key) return unknownKey(res);
    // The Go client's AuthMetadata (client/auth.go) names these fields. An ingest key sends
    // events and may create datasets; a configuration key here has the usual set but boards.
    const access: Record<string, boolean | undefined> = { events: true, createDatasets: true, ...(key.type === 'configuration' ? { markers: true, columns: true, queries: true } : {}), ...key.access };
    const own = envDatasets(key);
    const path = url.pathname;

    // docs.honeycomb.io/api/auth: the key's kind, its permissions, its team and its environment
    // (name and slug are empty strings for a Honeycomb Classic key).
    if (req.method === 'GET' && path === '/1/auth') {
      return json(res, 200, {
        id: `${key.type === 'ingest' ? 'hcxik' : 'hcxlk'}_fake`,
        type: key.type,
        api_key_access: access,
        environment: key.environment,
        team: key.team,
      });
    }
    // docs.honeycomb.io/api/permissions: Datasets need a configuration key with "Create Datasets".
    if (req.method === 'GET' && path === '/1/datasets') {
      if (key.type === 'ingest' || !access.createDatasets) return json(res, 401, { error: 'this API key does not have access to datasets' });
      return json(res, 200, [...own.values()].map(({ events: _e, ...d }) => d));
    }
    // api-docs.honeycomb.io Columns: GET /1/columns/{datasetSlug} lists a dataset's columns, 404
    // when there is no such dataset; "Manage Queries and Columns" (permissions page).
    const columnsPath = /^\/1\/columns\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && columnsPath) {
      if (key.type === 'ingest' || !access.columns) return json(res, 401, { error: 'this API key does not have access to columns' });
      const dataset = own.get(decodeURIComponent(columnsPath[1]!));
      if (!dataset) return json(res, 404, { error: 'dataset not found' });
      const names = new Set(dataset.events.flatMap((e) => Object.keys(e.attributes)));
      return json(res, 200, [...names].map((key_name) => ({ key_name, type: 'string', hidden: false })));
    }
    const queryPath = /^\/1\/queries\/([^/]+)$/.exec(path);
    // Queries: "Manage Queries and Columns" (columns), whatever the Query Data API's own needs.
    if (req.method === 'POST' && queryPath) {
      if (!access.columns) return json(res, 401, { error: 'this API key does not have access to queries' });
      const spec = JSON.parse(body.toString('utf8'));
      const problem = querySpecProblem(spec);
      if (problem) return json(res, 422, { error: problem });
      const id = randomUUID();
      envConfig(key).queries.set(id, { id, dataset: decodeURIComponent(queryPath[1]!), spec });
      queries.set(id, { dataset: decodeURIComponent(queryPath[1]!), filters: spec.filters ?? [], breakdowns: spec.breakdowns ?? [], time_range: Number(spec.time_range ?? 7200) });
      return json(res, 200, { id, ...spec });
    }
    const resultPath = /^\/1\/query_results\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    // Query Data: "Manage Queries and Columns" and "Run Queries", both (permissions page), on an
    // Enterprise plan (docs.honeycomb.io/api/tag/Query-Data).
    if (resultPath) {
      if (!access.columns || !access.queries) return json(res, 401, { error: 'this API key does not have access to run queries' });
      if (!key.enterprise) return json(res, 403, { error: 'the Query Data API requires an Enterprise plan' });
      if (req.method === 'GET') {
        const r = results.get(resultPath[2] ?? '');
        if (!r) return json(res, 404, { error: 'query result not found' });
        const complete = Date.now() >= r.readyAt;
        return json(res, 200, { id: resultPath[2], complete, ...(complete ? { data: r.data } : {}) });
      }
      // Creating query results is rate-limited (10 a minute); the Query Data API sends no Retry-After.
      const now = Date.now();
      state.queryResults = state.queryResults.filter((t) => t > now - minuteMs);
      if (state.queryResults.length >= QUERY_RESULTS_PER_MINUTE) return (state.rateLimited++, rateLimited(res));
      state.queryResults.push(now);
      const q = queries.get(JSON.parse(body.toString('utf8')).query_id);
      if (!q) return json(res, 404, { error: 'query not found' });
      // docs.honeycomb.io/api/tag/Query-Data, API restrictions: a time range of 6 hours or less
      // is truncated to the minute, so events of the minute under way are not counted yet.
      const end = Math.floor(now / minuteMs) * minuteMs;
      const start = end - q.time_range * 1000;
      const matches = (e: FakeEvent) =>
        e.startMs >= start &&
        e.startMs < end &&
        q.filters.every((f) => (f.op === 'in' ? (f.value as unknown[]).includes(e.attributes[f.column]) : f.op === '=' ? e.attributes[f.column] === f.value : false));
      const groups = new Map<string, number>();
      for (const e of (own.get(datasetSlug(q.dataset))?.events ?? []).filter(matches)) {
        const k = JSON.stringify(q.breakdowns.map((b) => e.attributes[b]));
        groups.set(k, (groups.get(k) ?? 0) + 1);
      }
      const rows = q.breakdowns.length
        ? [...groups].map(([k, COUNT]) => ({ data: { ...Object.fromEntries(q.breakdowns.map((b, i) => [b, JSON.parse(k)[i]])), COUNT } }))
        : [{ data: { COUNT: [...groups.values()].reduce((a, b) => a + b, 0) } }];
      const id = randomUUID();
      results.set(id, { readyAt: now + queryMs, data: { results: rows } });
      return json(res, 201, { id, complete: false });
    }
    const uiBase = `https://ui.honeycomb.io/${key.team.slug}/environments/${key.environment.slug}`;
    if (configApi({ method: req.method ?? 'GET', path, body, access, store: envConfig(key), uiBase, json }, res)) return;
    // docs.honeycomb.io/send-data/opentelemetry: OTLP/HTTP ingest, the dataset named by the
    // resource's service.name in an environment (Classic would take x-honeycomb-dataset instead).
    // docs.honeycomb.io/send-data/opentelemetry: metrics name their dataset in the
    // x-honeycomb-dataset header (spans and logs take it from service.name); a missing header
    // is refused as Honeycomb answers it ({"message":"missing 'x-honeycomb-dataset' header"},
    // seen in honeycombio/happy-o11ydays#1). docs.honeycomb.io/manage-data-volume/adjust-
    // granularity/metrics-events: data points of one request whose timestamps agree to the
    // second and whose resource and attributes are the same are one event, each metric a field.
    if (req.method === 'POST' && path === '/v1/metrics') {
      const datasetName = String(req.headers['x-honeycomb-dataset'] ?? '');
      if (!datasetName) return json(res, 401, { message: "missing 'x-honeycomb-dataset' header" });
      if (!access.events) return json(res, 401, { message: 'this API key may not send events' });
      let points;
      try {
        points = decodeMetrics(body, String(req.headers['content-type'] ?? ''));
      } catch (err) {
        return json(res, 400, { message: (err as Error).message });
      }
      const slug = datasetSlug(datasetName);
      if (!own.has(slug) && !access.createDatasets) return json(res, 401, { message: `dataset ${slug} does not exist and this API key may not create datasets` });
      const now = new Date().toISOString();
      if (!own.has(slug)) own.set(slug, { name: datasetName, slug, created_at: now, last_written_at: null, events: [] });
      const dataset = own.get(slug)!;
      const grouped = new Map<string, FakeEvent>();
      for (const p of points) {
        const second = Math.floor(p.timeMs / 1000) * 1000;
        const k = JSON.stringify([second, p.resource, p.attributes]);
        if (!grouped.has(k)) grouped.set(k, { signal: 'metric', startMs: second, resource: p.resource, attributes: { ...p.resource, ...p.attributes } } as FakeEvent);
        grouped.get(k)!.attributes[p.name] = p.value;
      }
      dataset.events.push(...grouped.values());
      dataset.last_written_at = now;
      return res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(ExportMetricsResponse.encode({}).finish());
    }
    if (req.method === 'POST' && (path === '/v1/traces' || path === '/v1/logs')) {
      const contentType = String(req.headers['content-type'] ?? '');
      let events: FakeEvent[];
      try {
        events = path === '/v1/traces' ? decodeTraces(body, contentType) : decodeLogs(body, contentType).map(logEvent);
      } catch (err) {
        return json(res, 400, { message: (err as Error).message });
      }
      // "Send Events" to write at all; a dataset that does not exist yet is made by the first write
      // only for a key with "Create Datasets" (docs.honeycomb.io/working-with-your-data/settings/
      // api-keys). What Honeycomb answers such a write is not documented: refused here with 401,
      // the request's spans stored nowhere.
      if (!access.events) return json(res, 401, { message: 'this API key may not send events' });
      const missing = [...new Set(events.map((e) => datasetSlug(String(e.resource['service.name'] ?? 'unknown_service'))))].filter((slug) => !own.has(slug));
      if (missing.length && !access.createDatasets) return json(res, 401, { message: `dataset ${missing.join(', ')} does not exist and this API key may not create datasets` });
      const now = new Date().toISOString();
      for (const event of events) {
        const name = String(event.resource['service.name'] ?? 'unknown_service');
        const slug = datasetSlug(name);
        if (!own.has(slug)) own.set(slug, { name, slug, created_at: now, last_written_at: null, events: [] });
        const dataset = own.get(slug)!;
        dataset.events.push(event);
        dataset.last_written_at = now;
      }
      const response = path === '/v1/traces' ? ExportResponse : ExportLogsResponse;
      return res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(response.encode({}).finish());
    }
    return json(res, 404, { error: 'not found' });
  }, options.listenOn?.port, options.listenOn?.host);

  return {
    ...running,
    keys,
    calls: state.calls,
    /** When each call arrived (performance.now()), for tests of what is asked at once. */
    arrivals: state.arrivals,
    /** When each query result of the last minute was created, for tests of the rate limit. */
    get queryResults() {
      return state.queryResults;
    },
    /** How many query results were refused with 429. */
    get rateLimited() {
      return state.rateLimited;
    },
    minuteMs,
    /** An environment's boards, queries, query annotations and markers, by a key of it. */
    config: (key: string) => envConfig(keys.get(key)!),
    setMode(mode: HoneycombMode) {
      state.mode = mode;
    },
    setLatency(ms: number) {
      state.latencyMs = ms;
    },
    /** The datasets of one key's environment. */
    datasets(key: string): Map<string, FakeDataset> {
      return envDatasets(keys.get(key)!);
    },
    addDataset(key: string, name: string, lastWrittenAt: string | null) {
      envDatasets(keys.get(key)!).set(datasetSlug(name), { name, slug: datasetSlug(name), created_at: '2026-01-01T00:00:00Z', last_written_at: lastWrittenAt, events: [] });
    },
  };
}

export type HoneycombFake = Awaited<ReturnType<typeof startHoneycombFake>>;

/** Key values in Honeycomb's documented formats (none of them real). */
export const KEYS = {
  ingest: `hcxik_${'01jtestingestkeyid0000000'.padEnd(26, '0')}${'a'.repeat(32)}`,
  config: `hcxlk_${'01jtestconfigkey'.padEnd(26, '0')}`,
  otherEnv: `hcxlk_${'01jtestotherenvkey'.padEnd(26, '0')}`,
  enterprise: `hcxlk_${'01jtestenterprisekey'.padEnd(26, '0')}`,
  eu: `hcxlk_${'01jtesteuregionkey'.padEnd(26, '0')}`,
  management: `hcxmk_${'01jtestmanagementkey'.padEnd(26, '0')}`,
  classic: `hcxlk_${'01jtestclassickey'.padEnd(26, '0')}`,
};

function logEvent(log: ReceivedLog): FakeEvent {
  const attributes: Record<string, unknown> = { ...log.attributes, body: log.body, severity: log.severityText.toLowerCase(), severity_code: log.severityNumber };
  if (log.traceId) Object.assign(attributes, { 'trace.trace_id': log.traceId, 'trace.span_id': log.spanId });
  return { ...log, attributes, startMs: log.timeMs, signal: 'log' };
}
