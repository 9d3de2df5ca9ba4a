// The week's questions as saved Honeycomb queries on one board, made idempotently by name.
import type { Auth, HoneycombApi } from './api.ts';
import { missingPermissions, NEEDS } from './permissions.ts';
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
  { name: 'JavaScript errors by browser and version', description: 'Uncaught errors and unhandled rejections in the browser, by browser, its version and the error’s type.', service: 'frontend', spec: { calculations: [{ op: 'COUNT' }], filters: [{ column: 'name', op: '=', value: 'js-error' }], breakdowns: ['browser.name', 'browser.version', 'exception.type'], time_range: DAY } },
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
interface Board {
  id: string;
  name: string;
  links?: { board_url?: string };
}

export interface BoardOutcome {
  outcome: 'created' | 'updated';
  url: string;
  queries: number;
}

/**
 * Creates or updates, by name, each query's annotation and then the board, in the key's
 * environment. Queries are immutable in Honeycomb: each run saves them again and points the
 * annotations and panels at the new ids, so the board always shows the current definitions.
 */
export async function ensureBoard(api: HoneycombApi, datasets: Datasets): Promise<BoardOutcome> {
  const panels: { type: 'query'; query_panel: { query_id: string; query_annotation_id: string } }[] = [];
  const annotations = new Map<string, Annotation[]>();
  for (const q of BOARD_QUERIES) {
    const dataset = encodeURIComponent(datasets[q.service]);
    const saved = await api.request<{ id: string }>('POST', `/1/queries/${dataset}`, q.spec);
    if (!annotations.has(dataset)) annotations.set(dataset, await api.request<Annotation[]>('GET', `/1/query_annotations/${dataset}`));
    const existing = annotations.get(dataset)!.find((a) => a.name === q.name);
    const body = { name: q.name, description: q.description, query_id: saved.id };
    const annotation = existing
      ? await api.request<Annotation>('PUT', `/1/query_annotations/${dataset}/${existing.id}`, body)
      : await api.request<Annotation>('POST', `/1/query_annotations/${dataset}`, body);
    panels.push({ type: 'query', query_panel: { query_id: saved.id, query_annotation_id: annotation.id } });
  }
  const board = {
    name: BOARD_NAME,
    description: 'The week 2 questions of the Cruddur bootcamp, one query each. Made by npm run honeycomb:board; run it again to restore them.',
    type: 'flexible',
    layout_generation: 'auto',
    panels,
  };
  const found = await findBoard(api);
  const saved = found ? await api.request<Board>('PUT', `/1/boards/${found.id}`, board) : await api.request<Board>('POST', '/1/boards', board);
  return { outcome: found ? 'updated' : 'created', url: saved.links?.board_url ?? '', queries: panels.length };
}

/** The board, when the key may see boards: undefined when it does not exist. */
export async function findBoard(api: HoneycombApi): Promise<Board | undefined> {
  return (await api.request<Board[]>('GET', '/1/boards')).find((b) => b.name === BOARD_NAME);
}
