import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { decodeLogs, decodeMetrics, decodeTraces, ExportLogsResponse, ExportMetricsResponse, ExportResponse, type ReceivedLog, type ReceivedSpan } from '../scripts/lib/otlp/decode.ts';
import { datasetSlug } from '../scripts/lib/honeycomb/api.ts';
import { delay, listen, readBody, type ListenOn } from './http.ts';
import { configApi, newConfigStore, problem, querySpecProblem, type ConfigStore } from './honeycomb-config-api.ts';
import { columnType, spanFields } from './honeycomb-columns.ts';

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

/** A column as api-docs.honeycomb.io's Column schema has it. */
export interface FakeColumn {
  id: string;
  key_name: string;
  type: 'string' | 'float' | 'integer' | 'boolean';
  hidden: boolean;
  description: string;
  /** "the column was last written to (received event data)": absent until then (the Column schema types it a string, never null; the contract check caught a null). */
  last_written?: string;
  created_at: string;
  updated_at: string;
}

/**
 * A dataset. An environment made today has none: a dataset exists once data arrives for it (with
 * "Create Datasets") or POST /1/datasets makes it, and a column once an event carries the field or
 * POST /1/columns makes it ("Honeycomb requires that a column exists before it can be referenced by
 * a query": terraform-provider-honeycombio, examples/samples/create_required_columns).
 */
export interface FakeDataset {
  name: string;
  slug: string;
  description: string;
  created_at: string;
  last_written_at: string | null;
  events: FakeEvent[];
  columns: Map<string, FakeColumn>;
  /** OTLP metrics make a metrics dataset, whose queries have rules of their own. */
  kind: 'events' | 'metrics';
}

/**
 * A span, or a log record as Honeycomb stores it: an event whose fields are its attributes,
 * the OpenTelemetry `body` (the field that makes a dataset a log dataset), its severity, and
 * trace.trace_id / trace.span_id (docs.honeycomb.io/get-started/honeycomb/logs-in-honeycomb).
 */
export type FakeEvent = ReceivedSpan | (ReceivedLog & { startMs: number; signal: 'log' }) | { signal: 'metric'; startMs: number; resource: Record<string, unknown>; attributes: Record<string, unknown> };

export type HoneycombMode = 'ok' | 'rate-limited' | 'server-error' | 'garbled' | 'hang';

/** One request and the fake's answer, as a contract check reads them. */
export interface Exchange {
  method: string;
  path: string;
  requestType: string;
  requestBody: Buffer;
  status: number;
  responseType: string;
  responseBody: Buffer;
}

export interface HoneycombFakeOptions {
  keys?: Record<string, FakeKey>;
  latencyMs?: number;
  listenOn?: ListenOn;
  /** Every request and answer, for test/contract/ to hold against Honeycomb's API description. */
  onExchange?: (exchange: Exchange) => void;
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

/** The environment-wide scope of a query (the API description's datasetSlugOrAll). */
const ALL = '__all__';

/** Every column a query spec names, but those its own calculated fields define. */
export function referencedColumns(spec: Record<string, any>): string[] {
  const defined = new Set((spec.calculated_fields ?? []).map((f: { name: string }) => f.name));
  const named = [
    ...(spec.calculations ?? []).flatMap((c: { column?: string }) => (c.column ? [c.column] : [])),
    ...(spec.filters ?? []).map((f: { column: string }) => f.column),
    ...(spec.breakdowns ?? []),
    ...(spec.orders ?? []).flatMap((o: { column?: string }) => (o.column ? [o.column] : [])),
  ];
  return [...new Set(named)].filter((c) => !defined.has(c));
}

interface FakeQuery {
  dataset: string;
  calculations: { op: string; column?: string }[];
  filters: { column: string; op: string; value: unknown }[];
  breakdowns: string[];
  time_range: number;
}


/** The fields an event makes columns of: a span's as Honeycomb derives them (honeycomb-columns.ts), else its attributes. */
export const eventFields = (e: FakeEvent): Record<string, unknown> => ('signal' in e ? e.attributes : spanFields(e));

export function newDataset(name: string, kind: FakeDataset['kind'], now = new Date().toISOString(), description = ''): FakeDataset {
  return { name, slug: datasetSlug(name), description, created_at: now, last_written_at: null, events: [], columns: new Map(), kind };
}

/** Stores events, and makes a column of each field not seen before (typed by its first value). */
export function writeEvents(dataset: FakeDataset, events: FakeEvent[], now = new Date().toISOString()) {
  for (const e of events) {
    for (const [key, value] of Object.entries(eventFields(e))) {
      const col = dataset.columns.get(key);
      if (col) col.last_written = now;
      else dataset.columns.set(key, { id: randomUUID().slice(0, 11), key_name: key, type: columnType(value), hidden: false, description: '', last_written: now, created_at: now, updated_at: now });
    }
    dataset.events.push(e);
  }
  if (events.length) dataset.last_written_at = now;
}

/** The Dataset schema's fields (api-docs.honeycomb.io), as GET /1/datasets lists them. */
const datasetOut = (d: FakeDataset) => ({ name: d.name, description: d.description, slug: d.slug, expand_json_depth: 0, created_at: d.created_at, last_written_at: d.last_written_at, regular_columns_count: d.columns.size });

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
    if (options.onExchange) {
      // writeHead's headers are written, not kept: the content type is taken on the way.
      let responseType = '';
      const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => ServerResponse;
      res.writeHead = ((status: number, headers?: Record<string, string>) => ((responseType = String(headers?.['content-type'] ?? '')), writeHead(status, headers))) as typeof res.writeHead;
      const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
      res.end = ((chunk?: unknown) => {
        options.onExchange!({ method: req.method ?? 'GET', path: url.pathname, requestType: String(req.headers['content-type'] ?? ''), requestBody: body, status: res.statusCode, responseType, responseBody: Buffer.from((chunk as string | Uint8Array | undefined) ?? '') });
        return end(chunk);
      }) as typeof res.end;
    }
    state.calls.push(`${req.method} ${url.pathname}`);
    state.arrivals.push({ call: `${req.method} ${url.pathname}`, at: performance.now() });
    if (state.latencyMs) await delay(state.latencyMs);
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
    // docs.honeycomb.io/api/errors: 403 Forbidden, "The API key does not have permission for this
    // operation"; 401 only for a key that is missing or unknown. The words are the fake's.
    const forbidden = (what: string) => json(res, 403, { error: `this API key does not have access to ${what}` });
    const notFound = (what: string) => problem(res, 404, 'not-found', 'The requested resource cannot be found.', what);

    // docs.honeycomb.io/api/auth: the key's kind, its permissions, its team and its environment
    // (name and slug are empty strings for a Honeycomb Classic key). An ingest key's
    // api_key_access lists createDatasets alone (the API description's "Ingest API Key" example).
    if (req.method === 'GET' && path === '/1/auth') {
      return json(res, 200, {
        id: key.type === 'ingest' ? 'hcxik_01jfakeingestkey0000000000' : 'hcxlk_01jfakeconfigkey0000000000',
        type: key.type,
        api_key_access: key.type === 'ingest' ? { createDatasets: Boolean(access.createDatasets) } : access,
        environment: key.environment,
        team: key.team,
      });
    }
    // docs.honeycomb.io/api/permissions: Datasets need a configuration key with "Create Datasets".
    if (path === '/1/datasets') {
      if (key.type === 'ingest' || !access.createDatasets) return forbidden('datasets');
      if (req.method === 'GET') return json(res, 200, [...own.values()].map(datasetOut));
      // createDataset (api-docs.honeycomb.io): 201 with the new dataset, or 200 with the one
      // that already has that name or slug.
      if (req.method === 'POST') {
        const input = JSON.parse(body.toString('utf8') || '{}');
        if (typeof input.name !== 'string' || !input.name) return problem(res, 422, 'validation-failed', 'The provided input is invalid.', 'name is required', [{ field: 'name', code: 'missing', description: 'name: cannot be blank' }]);
        const existing = own.get(datasetSlug(input.name));
        if (existing) return json(res, 200, datasetOut(existing));
        const made = newDataset(input.name, 'events', new Date().toISOString(), String(input.description ?? ''));
        own.set(made.slug, made);
        return json(res, 201, datasetOut(made));
      }
    }
    // api-docs.honeycomb.io Columns: GET /1/columns/{datasetSlug} lists a dataset's columns (404
    // when there is no such dataset); POST makes one (409 when the key name exists). "Manage
    // Queries and Columns" (permissions page).
    const columnsPath = /^\/1\/columns\/([^/]+)$/.exec(path);
    if (columnsPath) {
      if (key.type === 'ingest' || !access.columns) return forbidden('columns');
      const dataset = own.get(decodeURIComponent(columnsPath[1]!));
      if (!dataset) return notFound('Dataset not found');
      if (req.method === 'GET') return json(res, 200, [...dataset.columns.values()]);
      if (req.method === 'POST') {
        const input = JSON.parse(body.toString('utf8') || '{}');
        if (!input.key_name) return json(res, 400, { error: 'Key name cannot be blank' });
        if (dataset.columns.has(input.key_name)) return problem(res, 409, 'conflict', 'Request could not be completed due to a conflict with the current state of the target resource.', 'A resource by that name already exists.');
        const now = new Date().toISOString();
        // honeycomb-api.yaml, CreateColumn.type: one of its enum, string when absent; anything else
        // fails validation (422, as the description documents for this call). Histogram, in beta,
        // is for metrics datasets only, which the board never makes columns in.
        if (input.type !== undefined && !['string', 'float', 'integer', 'boolean'].includes(input.type)) return problem(res, 422, 'validation-failed', 'The provided input is invalid.', `type must be one of string, float, integer, boolean; got ${JSON.stringify(input.type)}`, [{ field: 'type', code: 'invalid', description: 'type: must be a valid column type' }]);
        const type = input.type ?? 'string';
        const column: FakeColumn = { id: randomUUID().slice(0, 11), key_name: input.key_name, type, hidden: Boolean(input.hidden), description: String(input.description ?? ''), created_at: now, updated_at: now };
        dataset.columns.set(column.key_name, column);
        return json(res, 201, column);
      }
    }
    const queryPath = /^\/1\/queries\/([^/]+)$/.exec(path);
    // Queries: "Manage Queries and Columns" (columns), whatever the Query Data API's own needs.
    if (req.method === 'POST' && queryPath) {
      if (!access.columns) return forbidden('queries');
      const spec = JSON.parse(body.toString('utf8'));
      const slug = decodeURIComponent(queryPath[1]!);
      const badSpec = querySpecProblem(spec);
      if (badSpec) return problem(res, 422, 'validation-failed', 'The provided input is invalid.', badSpec);
      // A query names a dataset that exists (the API description's NotFound example: "dataset not
      // found"), or __all__ for the whole environment (its datasetSlugOrAll parameter).
      const scope = slug === ALL ? [...own.values()] : own.has(slug) ? [own.get(slug)!] : undefined;
      if (!scope) return notFound('Dataset not found');
      const missing = referencedColumns(spec).filter((c) => !scope.some((d) => d.columns.has(c)));
      // Validation failed (422, ValidationError) naming the column, in the words Honeycomb uses
      // for a derived column that names one ("unknown column": the provider's resource_derived_column_test.go).
      if (missing.length) return problem(res, 422, 'validation-failed', 'The provided input is invalid.', `unknown column "${missing[0]}"`, missing.map((c) => ({ field: 'column', code: 'invalid', description: `unknown column "${c}"` })));
      // A metrics dataset refuses a bare COUNT, CONCURRENCY and the RATE_ operations ("Allowed vs.
      // Forbidden Operations on Metrics Datasets": honeycombio/agent-skill, skills/metrics-queries).
      const onMetrics = slug !== ALL && scope[0]!.kind === 'metrics';
      const forbiddenOp = onMetrics ? (spec.calculations ?? []).find((c: { op: string; column?: string }) => (c.op === 'COUNT' && !c.column) || ['CONCURRENCY', 'RATE_SUM', 'RATE_AVG', 'RATE_MAX'].includes(c.op)) : undefined;
      if (forbiddenOp) return problem(res, 422, 'validation-failed', 'The provided input is invalid.', `${forbiddenOp.op}${forbiddenOp.column ? '' : ' without a column'} is not allowed on a metrics dataset`);
      const id = randomUUID().slice(0, 11);
      envConfig(key).queries.set(id, { id, dataset: slug, spec });
      queries.set(id, { dataset: slug, calculations: spec.calculations ?? [], filters: spec.filters ?? [], breakdowns: spec.breakdowns ?? [], time_range: Number(spec.time_range ?? 7200) });
      return json(res, 200, { id, ...spec });
    }
    const resultPath = /^\/1\/query_results\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    // Query Data: "Manage Queries and Columns" and "Run Queries", both (permissions page), on an
    // Enterprise plan (docs.honeycomb.io/api/tag/Query-Data).
    if (resultPath) {
      if (!access.columns || !access.queries) return forbidden('run queries');
      if (!key.enterprise) return json(res, 403, { error: 'the Query Data API requires an Enterprise plan' });
      if (req.method === 'GET') {
        const r = results.get(resultPath[2] ?? '');
        if (!r) return notFound('query result not found');
        const complete = Date.now() >= r.readyAt;
        return json(res, 200, { id: resultPath[2], complete, ...(complete ? { data: r.data } : {}) });
      }
      // Creating query results is rate-limited (10 a minute); the Query Data API sends no Retry-After.
      const now = Date.now();
      state.queryResults = state.queryResults.filter((t) => t > now - minuteMs);
      if (state.queryResults.length >= QUERY_RESULTS_PER_MINUTE) return (state.rateLimited++, rateLimited(res));
      state.queryResults.push(now);
      const q = queries.get(JSON.parse(body.toString('utf8')).query_id);
      if (!q) return notFound('query not found');
      // docs.honeycomb.io/api/tag/Query-Data, API restrictions: a time range of 6 hours or less
      // is truncated to the minute, so events of the minute under way are not counted yet.
      const end = Math.floor(now / minuteMs) * minuteMs;
      const start = end - q.time_range * 1000;
      const matches = (fields: Record<string, unknown>) => q.filters.every((f) => (f.op === 'in' ? (f.value as unknown[]).includes(fields[f.column]) : f.op === '=' ? fields[f.column] === f.value : f.op === 'exists' ? fields[f.column] !== undefined : false));
      const events = (q.dataset === ALL ? [...own.values()] : [own.get(q.dataset)!]).flatMap((d) => d?.events ?? []).filter((e) => e.startMs >= start && e.startMs < end);
      // COUNT counts events; a calculation on a column reads only the events that have it
      // (docs.honeycomb.io, "Calculations"). Honeycomb does not document how its percentiles
      // interpolate: here linearly between the nearest ranks (numpy's and DuckDB's default), so
      // a comparison with the local board proves the translation, not Honeycomb's rounding.
      const groups = new Map<string, Record<string, unknown>[]>();
      for (const fields of events.map(eventFields).filter(matches)) {
        const k = JSON.stringify(q.breakdowns.map((b) => fields[b]));
        groups.set(k, [...(groups.get(k) ?? []), fields]);
      }
      const calculate = (op: string, values: unknown[]): number | null => {
        const nums = values.map(Number).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
        const percentile = /^P(\d+)$/.exec(op);
        if (op === 'COUNT' || op === 'HEATMAP') return values.length;
        if (op === 'COUNT_DISTINCT') return new Set(values.map(String)).size;
        if (!nums.length) return null;
        if (op === 'MAX') return nums.at(-1)!;
        if (op === 'MIN') return nums[0]!;
        if (op === 'SUM') return nums.reduce((a, b) => a + b, 0);
        if (op === 'AVG') return nums.reduce((a, b) => a + b, 0) / nums.length;
        if (percentile) {
          const p = Number(`0.${percentile[1]!.padStart(2, '0')}`);
          const at = (nums.length - 1) * p;
          const lo = Math.floor(at);
          return nums[lo]! + (nums[Math.min(lo + 1, nums.length - 1)]! - nums[lo]!) * (at - lo);
        }
        return null;
      };
      const aggregate = (rows: Record<string, unknown>[]) =>
        Object.fromEntries(
          (q.calculations.length ? q.calculations : [{ op: 'COUNT' }]).map((c) => {
            const values = c.column ? rows.map((r) => r[c.column!]).filter((v) => v !== undefined) : rows;
            const label = c.column ? `${c.op}(${c.column})` : c.op;
            return [label, calculate(c.op, values)];
          }),
        );
      const rows = q.breakdowns.length
        ? [...groups].map(([k, group]) => ({ data: { ...Object.fromEntries(q.breakdowns.map((b, i) => [b, JSON.parse(k)[i]])), ...aggregate(group) } }))
        : [{ data: aggregate([...groups.values()].flat()) }];
      const id = randomUUID();
      results.set(id, { readyAt: now + queryMs, data: { results: rows } });
      return json(res, 201, { id, complete: false });
    }
    const uiBase = `https://ui.honeycomb.io/${key.team.slug}/environments/${key.environment.slug}`;
    if (configApi({ method: req.method ?? 'GET', path, body, access, store: envConfig(key), datasets: own, uiBase, json }, res)) return;
    // docs.honeycomb.io/send-data/metrics: metrics name their dataset in the x-honeycomb-dataset
    // header (spans and logs take it from service.name); without it "all metrics data will be
    // sent to a dataset called unknown_metrics" ("Troubleshooting Metrics").
    // docs.honeycomb.io/manage-data-volume/adjust-granularity/metrics-events: data points of one
    // request whose timestamps agree to the second and whose resource and attributes are the
    // same are one event, each metric a field.
    if (req.method === 'POST' && path === '/v1/metrics') {
      const datasetName = String(req.headers['x-honeycomb-dataset'] ?? '') || 'unknown_metrics';
      if (!access.events) return forbidden('send events');
      let points;
      try {
        points = decodeMetrics(body, String(req.headers['content-type'] ?? ''));
      } catch (err) {
        return json(res, 400, { message: (err as Error).message });
      }
      const slug = datasetSlug(datasetName);
      if (!own.has(slug) && !access.createDatasets) return json(res, 401, { message: `dataset ${slug} does not exist and this API key may not create datasets` });
      if (!own.has(slug)) own.set(slug, newDataset(datasetName, 'metrics'));
      const dataset = own.get(slug)!;
      const grouped = new Map<string, FakeEvent>();
      for (const p of points) {
        const second = Math.floor(p.timeMs / 1000) * 1000;
        const k = JSON.stringify([second, p.resource, p.attributes]);
        if (!grouped.has(k)) grouped.set(k, { signal: 'metric', startMs: second, resource: p.resource, attributes: { ...p.resource, ...p.attributes } } as FakeEvent);
        grouped.get(k)!.attributes[p.name] = p.value;
      }
      writeEvents(dataset, [...grouped.values()]);
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
      if (!access.events) return forbidden('send events');
      const missing = [...new Set(events.map((e) => datasetSlug(String(e.resource['service.name'] ?? 'unknown_service'))))].filter((slug) => !own.has(slug));
      if (missing.length && !access.createDatasets) return json(res, 401, { message: `dataset ${missing.join(', ')} does not exist and this API key may not create datasets` });
      for (const event of events) {
        const name = String(event.resource['service.name'] ?? 'unknown_service');
        const slug = datasetSlug(name);
        if (!own.has(slug)) own.set(slug, newDataset(name, 'events'));
        writeEvents(own.get(slug)!, [event]);
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
    /** A dataset as if data had arrived (last written then), or made by the API (null). */
    addDataset(key: string, name: string, lastWrittenAt: string | null, kind: FakeDataset['kind'] = 'events') {
      const d = newDataset(name, kind, '2026-01-01T00:00:00Z');
      d.last_written_at = lastWrittenAt;
      envDatasets(keys.get(key)!).set(d.slug, d);
      return d;
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
