// Honeycomb's configuration API for boards, queries, query annotations and markers, as its
// OpenAPI description (api-docs.honeycomb.io) and the official Go client
// (honeycombio/terraform-provider-honeycombio, client/board.go, query_annotation.go,
// marker.go, query_spec.go) describe them: paths, request and response fields. The permission
// each needs is docs.honeycomb.io/api/permissions' table, under the api_key_access field that
// client/auth.go names for it: Queries and Query Annotations "Manage Queries and Columns"
// (columns), Boards "Manage Public Boards" (boards), Markers "Manage Markers" (markers).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface SavedQuery {
  id: string;
  dataset: string;
  spec: Record<string, any>;
}
export interface Annotation {
  id: string;
  dataset: string;
  name: string;
  description: string;
  query_id: string;
  source: 'query' | 'board';
  created_at: string;
  updated_at: string;
}
export interface Board {
  id: string;
  name: string;
  description: string;
  type: 'flexible';
  layout_generation?: string;
  panels: { type: 'query' | 'slo' | 'text'; query_panel?: { query_id: string; query_annotation_id?: string; query_style?: string } }[];
  links: { board_url: string };
}
export interface Marker {
  id: string;
  dataset: string;
  message?: string;
  type?: string;
  url?: string;
  start_time: number;
  end_time?: number;
  created_at: string;
  updated_at: string;
  color: string;
}

/** One environment's saved objects. */
export interface ConfigStore {
  queries: Map<string, SavedQuery>;
  annotations: Map<string, Annotation>;
  boards: Map<string, Board>;
  markers: Marker[];
}
export const newConfigStore = (): ConfigStore => ({ queries: new Map(), annotations: new Map(), boards: new Map(), markers: [] });

// query_spec.go: the operators a calculation and a filter may name (COUNT_DATAPOINTS and
// HISTOGRAM_COUNT only on a metrics dataset), and which may leave out the column.
const CALCULATION_OPS = new Set(['COUNT', 'CONCURRENCY', 'SUM', 'AVG', 'COUNT_DISTINCT', 'MAX', 'MIN', 'P001', 'P01', 'P05', 'P10', 'P20', 'P25', 'P50', 'P75', 'P80', 'P90', 'P95', 'P99', 'P999', 'HEATMAP', 'RATE_AVG', 'RATE_SUM', 'RATE_MAX', 'COUNT_DATAPOINTS', 'HISTOGRAM_COUNT']);
const COLUMN_OPTIONAL = new Set(['COUNT', 'COUNT_DATAPOINTS', 'CONCURRENCY']);
const FILTER_OPS = new Set(['=', '!=', '>', '>=', '<', '<=', 'starts-with', 'does-not-start-with', 'exists', 'does-not-exist', 'contains', 'does-not-contain', 'in', 'not-in']);

/** Why a query spec is refused (422), or undefined. */
export function querySpecProblem(spec: Record<string, any>): string | undefined {
  for (const c of spec.calculations ?? []) {
    if (!CALCULATION_OPS.has(c.op)) return `unknown calculation op "${c.op}"`;
    if (!COLUMN_OPTIONAL.has(c.op) && !c.column) return `calculation ${c.op} needs a column`;
  }
  for (const f of spec.filters ?? []) if (!FILTER_OPS.has(f.op)) return `unknown filter op "${f.op}"`;
  if (spec.filter_combination && !['AND', 'OR'].includes(spec.filter_combination)) return 'filter_combination is AND or OR';
  return undefined;
}

interface Ctx {
  method: string;
  path: string;
  body: Buffer;
  access: Record<string, boolean | undefined>;
  store: ConfigStore;
  /** The environment's datasets, by slug: markers need theirs to exist. */
  datasets: Map<string, unknown>;
  /** The environment's UI base, for links.board_url. */
  uiBase: string;
  json: (res: ServerResponse, status: number, body: unknown) => void;
}

// docs.honeycomb.io/api/errors: 403 Forbidden, "The API key does not have permission for this
// operation" (401 is a missing or unknown key); the body's words are the fake's.
const denied = (ctx: Ctx, res: ServerResponse, what: string) => ctx.json(res, 403, { error: `this API key does not have access to ${what}` });

/**
 * An RFC 7807 problem detail, as docs.honeycomb.io/api/errors shows v1 endpoints answer: status,
 * type, title, error, detail; a validation failure adds type_detail (the ValidationError schema).
 */
export function problem(res: ServerResponse, status: number, type: string, title: string, error: string, typeDetail?: { field: string; code: string; description: string }[]) {
  res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status, type: `https://api.honeycomb.io/problems/${type}`, title, error, detail: error, ...(typeDetail ? { type_detail: typeDetail } : {}) }));
}
const invalid = (res: ServerResponse, error: string, field: string) => problem(res, 422, 'validation-failed', 'The provided input is invalid.', error, [{ field, code: 'invalid', description: error }]);
const parse = (body: Buffer): Record<string, any> => (body.length ? JSON.parse(body.toString('utf8')) : {});

/** Answers a request for one of these resources; false when the path is not one of them. */
export function configApi(ctx: Ctx, res: ServerResponse): boolean {
  const { method, path, store } = ctx;
  const now = new Date().toISOString();

  // Queries: POST /1/queries/{dataset} (the Query Data API's first step, too), GET /1/queries/{dataset}/{id}.
  const q = /^\/1\/queries\/([^/]+)\/([^/]+)$/.exec(path);
  if (q && method === 'GET') {
    if (!ctx.access.columns) return (denied(ctx, res, 'queries'), true);
    const found = store.queries.get(q[2]!);
    if (!found || found.dataset !== decodeURIComponent(q[1]!)) return (ctx.json(res, 404, { error: 'query not found' }), true);
    return (ctx.json(res, 200, { id: found.id, ...found.spec }), true);
  }

  // Query annotations: /1/query_annotations/{dataset}[/{id}].
  const a = /^\/1\/query_annotations\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (a) {
    if (!ctx.access.columns) return (denied(ctx, res, 'query annotations'), true);
    const dataset = decodeURIComponent(a[1]!);
    const id = a[2];
    if (method === 'GET' && !id) return (ctx.json(res, 200, [...store.annotations.values()].filter((x) => x.dataset === dataset).map(({ dataset: _d, ...x }) => x)), true);
    if ((method === 'POST' && !id) || (method === 'PUT' && id)) {
      const input = parse(ctx.body);
      if (!input.name || String(input.name).length > 320) return (invalid(res, 'name is required, at most 320 characters', 'name'), true);
      if (String(input.description ?? '').length > 1023) return (invalid(res, 'description is at most 1023 characters', 'description'), true);
      const query = store.queries.get(String(input.query_id ?? ''));
      if (!query || query.dataset !== dataset) return (invalid(res, `query_id ${input.query_id} is not a query of dataset ${dataset}`, 'query_id'), true);
      const existing = id ? store.annotations.get(id) : undefined;
      if (id && !existing) return (ctx.json(res, 404, { error: 'query annotation not found' }), true);
      // QueryAnnotation.query_id (the API description): "Once created, it is NOT possible to
      // change the query ID associated with an annotation" (the Terraform provider replaces it).
      if (existing && existing.query_id !== input.query_id) return (invalid(res, 'the query ID of an annotation cannot be changed', 'query_id'), true);
      const saved: Annotation = { id: id ?? randomUUID().slice(0, 11), dataset, name: input.name, description: input.description ?? '', query_id: input.query_id, source: 'query', created_at: existing?.created_at ?? now, updated_at: now };
      store.annotations.set(saved.id, saved);
      const { dataset: _d, ...out } = saved;
      return (ctx.json(res, id ? 200 : 201, out), true);
    }
    if (method === 'DELETE' && id) return (store.annotations.get(id)?.dataset === dataset && store.annotations.delete(id) ? res.writeHead(204).end() : ctx.json(res, 404, { error: 'query annotation not found' }), true);
    return (ctx.json(res, 405, { error: 'method not allowed' }), true);
  }

  // Boards: /1/boards[/{id}].
  const b = /^\/1\/boards(?:\/([^/]+))?$/.exec(path);
  if (b) {
    if (!ctx.access.boards) return (denied(ctx, res, 'boards'), true);
    const id = b[1];
    if (method === 'GET' && !id) return (ctx.json(res, 200, [...store.boards.values()]), true);
    if (method === 'GET') return (store.boards.has(id!) ? ctx.json(res, 200, store.boards.get(id!)) : ctx.json(res, 404, { error: 'board not found' }), true);
    if ((method === 'POST' && !id) || (method === 'PUT' && id)) {
      const input = parse(ctx.body);
      if (!input.name || String(input.name).length > 255) return (invalid(res, 'name is required, 1 to 255 characters', 'name'), true);
      if (String(input.description ?? '').length > 1024) return (invalid(res, 'description is at most 1024 characters', 'description'), true);
      // BoardType: "Only flexible boards are supported."
      if (input.type !== 'flexible') return (invalid(res, 'type: must be a valid value', 'type'), true);
      for (const panel of input.panels ?? []) {
        if (panel.type !== 'query') continue;
        // QueryPanel.query_panel requires both, and the annotation "must apply to the query_id".
        const queryId = panel.query_panel?.query_id;
        const annotation = panel.query_panel?.query_annotation_id;
        if (!queryId || !annotation) return (invalid(res, 'a query panel needs query_id and query_annotation_id', 'query_panel'), true);
        if (!store.queries.has(queryId)) return (invalid(res, `panel query_id ${queryId} is not a saved query`, 'query_panel.query_id'), true);
        if (store.annotations.get(annotation)?.query_id !== queryId) return (invalid(res, `query_annotation_id ${annotation} does not annotate query ${queryId}`, 'query_panel.query_annotation_id'), true);
      }
      if (id && !store.boards.has(id)) return (ctx.json(res, 404, { error: 'board not found' }), true);
      const boardId = id ?? randomUUID().slice(0, 11);
      const saved: Board = { id: boardId, name: input.name, description: input.description ?? '', type: input.type, layout_generation: input.layout_generation, panels: input.panels ?? [], links: { board_url: `${ctx.uiBase}/board/${boardId}` } };
      store.boards.set(boardId, saved);
      return (ctx.json(res, id ? 200 : 201, saved), true);
    }
    if (method === 'DELETE' && id) return (store.boards.delete(id) ? res.writeHead(204).end() : ctx.json(res, 404, { error: 'board not found' }), true);
    return (ctx.json(res, 405, { error: 'method not allowed' }), true);
  }

  // Markers: /1/markers/{dataset} ("__all__" for the whole environment).
  const m = /^\/1\/markers\/([^/]+)$/.exec(path);
  if (m) {
    if (!ctx.access.markers) return (denied(ctx, res, 'markers'), true);
    const dataset = decodeURIComponent(m[1]!);
    // createMarker's responses include 404: a dataset that does not exist yet has no graphs to mark.
    if (dataset !== '__all__' && !ctx.datasets.has(dataset)) return (problem(res, 404, 'not-found', 'The requested resource cannot be found.', 'Dataset not found'), true);
    if (method === 'GET') return (ctx.json(res, 200, store.markers.filter((x) => x.dataset === dataset).map(({ dataset: _d, ...x }) => x)), true);
    if (method === 'POST') {
      const input = parse(ctx.body);
      const marker: Marker = {
        id: randomUUID().slice(0, 11),
        dataset,
        ...(input.message !== undefined ? { message: String(input.message) } : {}),
        ...(input.type !== undefined ? { type: String(input.type) } : {}),
        ...(input.url !== undefined ? { url: String(input.url) } : {}),
        // marker.go: start_time defaults to when the request was received, in Unix seconds.
        start_time: Number(input.start_time ?? Math.floor(Date.now() / 1000)),
        ...(input.end_time !== undefined ? { end_time: Number(input.end_time) } : {}),
        created_at: now,
        updated_at: now,
        color: '',
      };
      store.markers.push(marker);
      const { dataset: _d, ...out } = marker;
      return (ctx.json(res, 201, out), true);
    }
    return (ctx.json(res, 405, { error: 'method not allowed' }), true);
  }
  return false;
}
