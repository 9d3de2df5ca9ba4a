// The week's questions as saved Honeycomb queries on one board, made idempotently by name.
import { datasetSlug, HoneycombError, notYet, type Auth, type HoneycombApi } from './api.ts';
import { may, missingPermissions, NEEDS } from './permissions.ts';
import { honeycombQuery, type HoneycombPlace } from './links.ts';

export const BOARD_NAME = 'Cruddur week 2';
/** The mock session's user (the course's Andrew Brown), the one the "one user" query follows. */
export const MOCK_USER = 'andrewbrown';

export interface BoardQuery {
  name: string;
  description: string;
  /** Which dataset: the backend's, the front end's, or the metrics dataset. */
  service: 'backend' | 'frontend' | 'metrics';
  spec: { calculations: { op: string; column?: string }[]; filters?: { column: string; op: string; value?: unknown }[]; breakdowns?: string[]; orders?: { op?: string; column?: string; order?: string }[]; time_range: number };
}

const server = { column: 'span.kind', op: '=', value: 'server' };
const DAY = 86_400;

/** One query per question the week's notes ask; each names only columns the project emits (a test checks). */
export const BOARD_QUERIES: BoardQuery[] = [
  { name: 'Backend latency heatmap', description: 'Every API request by duration: the heatmap the course asks for. Dense bands are the usual speed; dots above them are the slow outliers to click into.', service: 'backend', spec: { calculations: [{ op: 'HEATMAP', column: 'duration_ms' }], filters: [server], time_range: DAY } },
  { name: 'P90 latency per route', description: 'The 90th percentile of API request duration for each route, slowest first.', service: 'backend', spec: { calculations: [{ op: 'P90', column: 'duration_ms' }], filters: [server], breakdowns: ['http.route'], orders: [{ op: 'P90', column: 'duration_ms', order: 'descending' }], time_range: DAY } },
  { name: 'Server errors per route', description: 'API requests that failed on the server (5xx), by route and status. A 4xx is the client’s mistake and is not counted.', service: 'backend', spec: { calculations: [{ op: 'COUNT' }], filters: [server, { column: 'error', op: '=', value: true }], breakdowns: ['http.route', 'http.response.status_code'], time_range: DAY } },
  { name: 'Page load (LCP) P95 per route', description: 'Largest Contentful Paint, the browser’s measure of when a page looked loaded, at the 95th percentile per page route.', service: 'frontend', spec: { calculations: [{ op: 'P95', column: 'web_vital.value' }], filters: [{ column: 'web_vital.name', op: '=', value: 'LCP' }], breakdowns: ['page.route'], time_range: DAY } },
  { name: 'Page load (LCP): synthetic runs against real users', description: 'Largest Contentful Paint at the 75th percentile, npm run synthetic’s journeys beside real users’ page loads, side by side (app.traffic: synthetic or user; the smoke’s own runs are smoke).', service: 'frontend', spec: { calculations: [{ op: 'P75', column: 'web_vital.value' }, { op: 'COUNT' }], filters: [{ column: 'web_vital.name', op: '=', value: 'LCP' }], breakdowns: ['app.traffic'], time_range: DAY } },
  { name: 'JavaScript errors by browser and version', description: 'Uncaught errors and unhandled rejections in the browser, by browser, its version and the error’s type.', service: 'frontend', spec: { calculations: [{ op: 'COUNT' }], filters: [{ column: 'name', op: '=', value: 'js-error' }, { column: 'error', op: '=', value: true }], breakdowns: ['browser.name', 'browser.version', 'exception.type'], time_range: DAY } },
  { name: 'Most-used actions', description: 'Clicks on buttons and links, by the action the app names (reply, like…) or else what they say: what people do most.', service: 'frontend', spec: { calculations: [{ op: 'COUNT' }], filters: [{ column: 'name', op: '=', value: 'click' }], breakdowns: ['app.action'], orders: [{ op: 'COUNT', order: 'descending' }], time_range: DAY } },
  { name: 'How long pages stay open', description: 'Visible time per page view (sent when the page is left or hidden), per route.', service: 'frontend', spec: { calculations: [{ op: 'P50', column: 'page.visible_ms' }, { op: 'P90', column: 'page.visible_ms' }], filters: [{ column: 'name', op: '=', value: 'page view' }], breakdowns: ['page.route'], time_range: DAY } },
  // Metrics: each metric is a field of its events, each attribute too (docs.honeycomb.io,
  // "Examples: Query for Metrics"): AVG or MAX of the field, never COUNT.
  { name: 'Host memory in use', description: 'The workspace host’s memory in use over time (the collector’s host_metrics receiver, every 30 s): the first question of the week’s notes.', service: 'metrics', spec: { calculations: [{ op: 'AVG', column: 'system.memory.usage' }], filters: [{ column: 'state', op: '=', value: 'used' }], time_range: DAY } },
  { name: 'Backend memory (RSS)', description: 'The backend process’s resident memory over time (its runtime metrics, through the collector).', service: 'metrics', spec: { calculations: [{ op: 'AVG', column: 'process.memory.usage' }, { op: 'MAX', column: 'v8js.memory.heap.used' }], filters: [{ column: 'service.name', op: '=', value: 'backend-flask' }], time_range: DAY } },
  { name: 'Backend event-loop delay (P99)', description: 'How long the backend’s event loop waited at the 99th percentile: a blocked loop delays every request.', service: 'metrics', spec: { calculations: [{ op: 'MAX', column: 'nodejs.eventloop.delay.p99' }], filters: [{ column: 'service.name', op: '=', value: 'backend-flask' }], time_range: DAY } },
  { name: `One user’s experience (${MOCK_USER})`, description: `Everything the signed-in user ${MOCK_USER} did in the browser, by span name. Change the filter to follow another user.`, service: 'frontend', spec: { calculations: [{ op: 'COUNT' }, { op: 'P90', column: 'duration_ms' }], filters: [{ column: 'app.user_handle', op: '=', value: MOCK_USER }], breakdowns: ['name'], time_range: DAY } },
];

export interface Datasets {
  backend: string;
  frontend: string;
  metrics: string;
}

/**
 * The type of every column the events datasets' queries name, as the spans carry it (a test holds
 * these against the types Honeycomb infers from the real spans' values). The board makes a column
 * Honeycomb does not have yet, because a query may name only columns that exist ("Honeycomb
 * requires that a column exists before it can be referenced by a query": terraform-provider-
 * honeycombio, examples/samples/create_required_columns). Never in the metrics dataset, whose
 * fields Honeycomb types as metrics when they arrive.
 */
export const COLUMN_TYPES: Record<string, 'string' | 'float' | 'integer' | 'boolean'> = {
  duration_ms: 'float',
  'span.kind': 'string',
  'http.route': 'string',
  error: 'boolean',
  'http.response.status_code': 'integer',
  'web_vital.value': 'float',
  'web_vital.name': 'string',
  'page.route': 'string',
  name: 'string',
  'browser.name': 'string',
  'browser.version': 'string',
  'exception.type': 'string',
  'app.action': 'string',
  'page.visible_ms': 'integer',
  'app.user_handle': 'string',
  'app.traffic': 'string',
};

/** Every column a query spec names: calculations, filters, breakdowns and orders. */
export function queryColumns(spec: BoardQuery['spec']): string[] {
  return [...new Set([...spec.calculations.flatMap((c) => (c.column ? [c.column] : [])), ...(spec.filters ?? []).map((f) => f.column), ...(spec.breakdowns ?? []), ...(spec.orders ?? []).flatMap((o) => (o.column ? [o.column] : []))])];
}

/** The permissions the board needs that /1/auth does not show, in the words Honeycomb's key settings use. */
export const missingForBoard = (auth: Auth): string[] => missingPermissions(auth, NEEDS.board);

/** Query links, for a key that cannot make the board: each opens the query in Honeycomb's UI. */
export function queryLinks(place: HoneycombPlace, datasets: Datasets): { name: string; url: string }[] {
  return BOARD_QUERIES.map((q) => ({ name: q.name, url: honeycombQuery(place, datasets[q.service], q.spec) }));
}

interface Annotation {
  id: string;
  name: string;
  query_id: string;
}
export interface Board {
  id: string;
  name: string;
  links?: { board_url?: string };
}

export interface BoardOutcome {
  /** 'waiting': no question's data is there yet, so no board was made. */
  outcome: 'created' | 'updated' | 'waiting';
  url: string;
  queries: number;
  /** Datasets and columns made first, as the key allowed. */
  made: string[];
  /** Questions left off the board for now, each with what would let it on. */
  skipped: { name: string; why: string }[];
}

/** A dataset's column names, or undefined when the dataset does not exist yet. */
async function columnsOf(api: HoneycombApi, slug: string): Promise<Set<string> | undefined> {
  try {
    return new Set((await api.request<{ key_name: string }[]>('GET', `/1/columns/${encodeURIComponent(slug)}`)).map((c) => c.key_name));
  } catch (err) {
    if (err instanceof HoneycombError && err.status === 404) return undefined;
    throw err;
  }
}

/** JSON with every object's keys sorted, so equal specs read the same. */
const canonical = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(canonical).join(',')}]` : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}` : JSON.stringify(v);

/** Whether a saved query asks what `wanted` asks: every field the board sets, whatever defaults Honeycomb added. */
const sameSpec = (saved: Record<string, unknown>, wanted: BoardQuery['spec']): boolean => Object.entries(wanted).every(([k, v]) => canonical(saved[k]) === canonical(v));

/**
 * Makes the board in the key's environment, starting where a new environment starts (no dataset,
 * no column): first the events datasets and the columns the queries name, as the key allows;
 * then each query that can exist now, its annotation, and the board, by name. A question whose
 * data has not arrived (the metrics dataset, or a key that may not create datasets) is left off
 * and named. Queries are immutable (the Terraform provider: "Any changes will result in a new
 * query object"), and an annotation's query cannot change (the API description's QueryAnnotation):
 * a question whose spec changed gets a new query and a new annotation, and the old annotation goes.
 */
export async function ensureBoard(api: HoneycombApi, datasets: Datasets, auth: Pick<Auth, 'api_key_access'>): Promise<BoardOutcome> {
  const made: string[] = [];
  const skipped: BoardOutcome['skipped'] = [];
  const columns = new Map<BoardQuery['service'], Set<string> | undefined>();
  for (const service of ['backend', 'frontend', 'metrics'] as const) {
    const slug = datasetSlug(datasets[service]);
    let have = await columnsOf(api, slug);
    if (service !== 'metrics') {
      if (!have && may(auth, NEEDS.listDatasets)) {
        await api.request('POST', '/1/datasets', { name: datasets[service] });
        made.push(`dataset ${datasets[service]}`);
        have = new Set();
      }
      for (const column of have ? [...new Set(BOARD_QUERIES.filter((q) => q.service === service).flatMap((q) => queryColumns(q.spec)))] : []) {
        if (have!.has(column)) continue;
        await api.request('POST', `/1/columns/${encodeURIComponent(slug)}`, { key_name: column, type: COLUMN_TYPES[column] ?? 'string' });
        have!.add(column);
        made.push(`column ${column} in ${datasets[service]}`);
      }
    }
    columns.set(service, have);
  }

  const panels: { type: 'query'; query_panel: { query_id: string; query_annotation_id: string } }[] = [];
  const annotations = new Map<string, Annotation[]>();
  const replaced: { slug: string; id: string }[] = [];
  for (const q of BOARD_QUERIES) {
    const slug = datasetSlug(datasets[q.service]);
    const have = columns.get(q.service);
    const missing = have ? queryColumns(q.spec).filter((c) => !have.has(c)) : [];
    if (!have || missing.length) {
      skipped.push({ name: q.name, why: whyNotYet(q.service, datasets[q.service], have ? missing : undefined) });
      continue;
    }
    const path = encodeURIComponent(slug);
    if (!annotations.has(slug)) annotations.set(slug, await api.request<Annotation[]>('GET', `/1/query_annotations/${path}`));
    const existing = annotations.get(slug)!.find((a) => a.name === q.name);
    const kept = existing && (await api.request<Record<string, unknown>>('GET', `/1/queries/${path}/${existing.query_id}`).then(({ id: _id, ...spec }) => sameSpec(spec, q.spec), () => false));
    let queryId: string;
    let annotation: Annotation;
    if (kept) {
      queryId = existing.query_id;
      annotation = await api.request<Annotation>('PUT', `/1/query_annotations/${path}/${existing.id}`, { name: q.name, description: q.description, query_id: queryId });
    } else {
      try {
        queryId = (await api.request<{ id: string }>('POST', `/1/queries/${path}`, q.spec)).id;
      } catch (err) {
        if (!notYet(err)) throw err;
        skipped.push({ name: q.name, why: whyNotYet(q.service, datasets[q.service], [(err as HoneycombError).fault.cause]) });
        continue;
      }
      annotation = await api.request<Annotation>('POST', `/1/query_annotations/${path}`, { name: q.name, description: q.description, query_id: queryId });
      if (existing) replaced.push({ slug, id: existing.id });
    }
    panels.push({ type: 'query', query_panel: { query_id: queryId, query_annotation_id: annotation.id } });
  }
  const board = {
    name: BOARD_NAME,
    description: 'The week 2 questions of the Cruddur bootcamp, one query each. Made by npm run honeycomb:board; run it again to restore them.',
    type: 'flexible',
    layout_generation: 'auto',
    panels,
  };
  const found = await findBoard(api);
  if (!found && !panels.length) return { outcome: 'waiting', url: '', queries: 0, made, skipped };
  const saved = found ? await api.request<Board>('PUT', `/1/boards/${found.id}`, board) : await api.request<Board>('POST', '/1/boards', board);
  // Only once the board no longer shows them: an annotation whose query changed.
  for (const old of replaced) await api.request('DELETE', `/1/query_annotations/${encodeURIComponent(old.slug)}/${old.id}`).catch(() => undefined);
  return { outcome: found ? 'updated' : 'created', url: saved.links?.board_url ?? '', queries: panels.length, made, skipped };
}

/** What would put a question on the board: its data arriving, in words that say how to send it. */
function whyNotYet(service: BoardQuery['service'], dataset: string, missing: string[] | undefined): string {
  const send = {
    backend: 'npm run smoke sends the backend’s spans',
    frontend: 'open the app and click around: the browser’s spans make it',
    metrics: 'the collector sends the host’s metrics every 30 s once the stack runs with the key (npm run up)',
  }[service];
  return missing ? `${dataset} has no ${missing.join(', ')} yet: ${send}, then run npm run honeycomb:board again` : `no dataset ${dataset} yet: ${send}, then run npm run honeycomb:board again`;
}

/** The board, when the key may see boards: undefined when it does not exist. */
export async function findBoard(api: HoneycombApi): Promise<Board | undefined> {
  return (await api.request<Board[]>('GET', '/1/boards')).find((b) => b.name === BOARD_NAME);
}
