import { MAX_RETRY_AFTER_S, networkFault, retryAfterSeconds, type Fault } from '../net/faults.ts';
import { printable } from '../terminal/secrets.ts';
import { HONEYCOMB_EU, HONEYCOMB_US } from '../workspace/settings.ts';

export type KeyKind = 'ingest' | 'configuration' | 'management' | 'classic' | 'classic-ingest' | 'environment-legacy' | 'unknown';

export interface KeyInfo {
  kind: KeyKind;
  label: string;
  /** May read datasets (and so confirm arrival); ingest keys may not. */
  canRead: boolean;
  canSend: boolean;
  note?: string;
}

// Honeycomb's documented key ids: hc<x>ik_ ingest, hc<x>lk_ configuration, hc<x>mk_ management,
// where <x> varies; an ingest key's value is its 26-character id and 32-character secret joined.
export function keyInfo(key: string): KeyInfo {
  if (/^hc[a-z]ik_[0-9a-z]{58}$/i.test(key)) return { kind: 'ingest', label: 'ingest key', canRead: false, canSend: true };
  if (/^hc[a-z]ic_[0-9a-z]{58}$/i.test(key)) {
    return {
      kind: 'classic-ingest',
      label: 'Classic ingest key',
      canRead: false,
      canSend: true,
      note: 'Honeycomb Classic has no environments and wants an x-honeycomb-dataset header the collector does not send: create an environment (the course uses "bootcamp") and an ingest key there',
    };
  }
  if (/^hc[a-z]lk_[0-9a-z]+$/i.test(key)) return { kind: 'configuration', label: 'configuration key', canRead: true, canSend: true };
  if (/^hc[a-z]mk_/i.test(key)) {
    return {
      kind: 'management',
      label: 'management key',
      canRead: false,
      canSend: false,
      note: 'a management key manages teams and keys; it cannot send telemetry. Create an ingest key for the environment instead',
    };
  }
  if (/[^\x21-\x7e]/.test(key)) {
    return { kind: 'unknown', label: 'key with characters no key has', canRead: false, canSend: false, note: 'it holds an invisible or non-ASCII character (often from a chat app or a PDF): copy it again from Honeycomb' };
  }
  if (/^hc[a-z][il][kc]_/i.test(key)) {
    return { kind: 'unknown', label: 'truncated key', canRead: false, canSend: false, note: 'it has a Honeycomb prefix but the wrong length: copy the whole key again' };
  }
  if (/^[0-9a-f]{32}$/i.test(key)) return { kind: 'classic', label: 'Classic key', canRead: true, canSend: true, note: 'Classic keys write to Honeycomb Classic, which has no environments' };
  if (/^[0-9a-z]{22}$/i.test(key)) return { kind: 'environment-legacy', label: 'environment key (22-character, older format)', canRead: true, canSend: true };
  return { kind: 'unknown', label: 'unrecognised key', canRead: false, canSend: false, note: 'it matches no Honeycomb key format: copy it again from Environment settings > API keys' };
}

/** What pasting commonly does to a key. Each problem names itself; the key is never shown. */
export function keyShapeProblems(raw: string): string[] {
  const problems: string[] = [];
  if (/^\s*(export\s+)?HONEYCOMB_API_KEY\s*=/.test(raw)) problems.push('it starts with "HONEYCOMB_API_KEY=": paste only the value');
  if (/^\s*["']|["']\s*$/.test(raw)) problems.push('it is wrapped in quotes');
  if (/[\r\n]/.test(raw)) problems.push('it contains a newline (often a trailing one from copying)');
  if (/[^\x20-\x7e\r\n\t]/.test(raw)) problems.push('it contains an invisible or non-ASCII character no Honeycomb key has (often from a chat app or a PDF)');
  if (/^[ \t]|[ \t]$/.test(raw)) problems.push('it has leading or trailing spaces');
  else if (/\S\s+\S/.test(raw.trim())) problems.push('it contains spaces');
  const t = raw.trim();
  const half = t.slice(0, t.length / 2);
  if (t.length % 2 === 0 && half === t.slice(t.length / 2) && keyInfo(half).kind !== 'unknown') problems.push('it is the same key pasted twice');
  return problems;
}

export interface Auth {
  team: { name: string; slug: string };
  environment: { name: string; slug: string };
  api_key_access: Record<string, boolean>;
  type?: string;
  id?: string;
}

export interface Dataset {
  name: string;
  slug: string;
  last_written_at?: string | null;
  created_at?: string;
}

/** A Honeycomb API failure, with its HTTP status (0 for network) and a fault to show. */
export class HoneycombError extends Error {
  readonly status: number;
  readonly fault: Fault;
  readonly retryAfter?: number;
  constructor(status: number, fault: Fault, retryAfter?: number) {
    super(fault.cause);
    this.status = status;
    this.fault = fault;
    this.retryAfter = retryAfter;
  }
}

/** The service's dataset: Honeycomb names it after service.name and slugs the name. */
export const findDataset = (datasets: Dataset[], service: string): Dataset | undefined =>
  datasets.find((d) => d.slug === datasetSlug(service) || d.name === service);

export const isEu = (endpoint: string): boolean => /\.eu1\.honeycomb\.io/.test(endpoint);
export const otherRegion = (endpoint: string): string => (isEu(endpoint) ? HONEYCOMB_US : HONEYCOMB_EU);

/**
 * A key refused by one region may belong to the other (US and EU are separate). Returns the
 * other region's endpoint and the key's auth there, or undefined when it is refused there too.
 */
export async function authInOtherRegion(endpoint: string, key: string, other = otherRegion(endpoint)): Promise<{ endpoint: string; auth: Auth } | undefined> {
  try {
    return { endpoint: other, auth: await new HoneycombApi(other, key, 5000).auth() };
  } catch {
    return undefined;
  }
}

/** The Honeycomb API (v1) with one key, every call bounded by a timeout. */
export class HoneycombApi {
  readonly endpoint: string;
  readonly #key: string;
  readonly #timeoutMs: number;
  readonly #signal?: AbortSignal;

  /** `signal` ends every call at once, e.g. at a command's overall deadline. */
  constructor(endpoint: string, key: string, timeoutMs = 10_000, signal?: AbortSignal) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    this.#key = key;
    this.#timeoutMs = timeoutMs;
    this.#signal = signal;
  }

  /** The key's team and environment; their names are the server's words, made printable. */
  async auth(): Promise<Auth> {
    const auth = await this.#call<Auth>('GET', '/1/auth');
    if (!auth || typeof auth !== 'object' || typeof auth.team?.name !== 'string' || typeof auth.environment !== 'object' || auth.environment === null) {
      throw new HoneycombError(200, {
        cause: `this is not Honeycomb's API at ${this.endpoint}: /1/auth answered without a team and an environment`,
        fix: 'set HONEYCOMB_API_ENDPOINT to https://api.honeycomb.io (EU: https://api.eu1.honeycomb.io)',
      });
    }
    const clean = (x: { name?: unknown; slug?: unknown }) => ({ name: printable(String(x.name ?? '')), slug: printable(String(x.slug ?? '')) });
    return { ...auth, team: clean(auth.team), environment: clean(auth.environment) };
  }

  datasets(): Promise<Dataset[]> {
    return this.#call('GET', '/1/datasets');
  }

  /**
   * Counts events whose `column` equals `value` in the last `seconds`, by the Query Data API.
   * Enterprise plans only; callers try it only when the key's api_key_access allows queries,
   * and treat a 401/403 as "not available".
   */
  async count(dataset: string, column: string, value: string, seconds: number): Promise<number> {
    return (await this.counts(dataset, column, [value], seconds)).get(value) ?? 0;
  }

  /**
   * Counts events per value of `column`, for several values at once: one query result, since
   * creating query results is limited to 10 a minute. Create a query, run it, poll its result.
   * COUNT of the column, not a bare COUNT, which a metrics dataset refuses (honeycombio/agent-skill,
   * skills/metrics-queries: "COUNT (without column)" is forbidden there; with a column it counts
   * the events that have it). A dataset or column that does not exist yet (a new environment:
   * 404, or 422 naming the column) counts nothing: nothing has arrived yet.
   */
  async counts(dataset: string, column: string, values: string[], seconds: number): Promise<Map<string, number>> {
    let rows: Record<string, unknown>[];
    try {
      rows = await this.rows(dataset, {
        calculations: [{ op: 'COUNT', column }],
        filters: [{ column, op: 'in', value: values }],
        breakdowns: [column],
        time_range: Math.max(60, Math.ceil(seconds)),
      });
    } catch (err) {
      if (notYet(err)) return new Map();
      throw err;
    }
    const counts = new Map<string, number>();
    for (const row of rows) {
      const count = Object.entries(row).find(([k]) => k !== column && k.startsWith('COUNT'))?.[1];
      counts.set(String(row[column]), Number(count ?? 0));
    }
    return counts;
  }

  /**
   * A query's result rows (each its breakdowns' values and its calculations'), by the Query Data
   * API: the query created, its result created (one of the 10 a minute) and polled until complete.
   * `dataset` may be __all__, the whole environment.
   */
  async rows(dataset: string, spec: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const path = encodeURIComponent(dataset);
    const query = await this.#call<{ id: string }>('POST', `/1/queries/${path}`, spec);
    let result = await this.#call<QueryResult>('POST', `/1/query_results/${path}`, { query_id: query.id, disable_series: true, limit: 1000 });
    for (let i = 0; !result.complete && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      result = await this.#call<QueryResult>('GET', `/1/query_results/${path}/${result.id}`);
    }
    return (result.data?.results ?? []).map((row) => row.data ?? {});
  }

  /**
   * Whether this key may run queries at all (the Query Data API: Enterprise plans, both
   * permissions), asked of the whole environment (__all__), which needs no dataset and no column:
   * a new environment has neither. A 429 is "may", only busy.
   */
  async mayQuery(): Promise<boolean> {
    try {
      const query = await this.#call<{ id: string }>('POST', '/1/queries/__all__', { calculations: [{ op: 'COUNT' }], time_range: 60 });
      await this.#call('POST', '/1/query_results/__all__', { query_id: query.id, disable_series: true, limit: 1 });
      return true;
    } catch (err) {
      return err instanceof HoneycombError && err.status === 429;
    }
  }

  /** Any other call of the API, with the same checks (no redirects, deadlines, faults). */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.#call<T>(method, path, body);
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = this.endpoint + path;
    if (!/^https?:\/\//i.test(this.endpoint)) {
      throw new HoneycombError(0, { cause: `HONEYCOMB_API_ENDPOINT is ${printable(this.endpoint)}, not an http(s) URL`, fix: 'set it to https://api.honeycomb.io (EU: https://api.eu1.honeycomb.io)' });
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { 'X-Honeycomb-Team': this.#key, ...(body ? { 'content-type': 'application/json' } : {}) },
        // The key goes to this origin only: a redirect is reported, never followed.
        redirect: 'manual',
        body: body ? JSON.stringify(body) : undefined,
        signal: this.#signal ? AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#signal]) : AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw new HoneycombError(0, networkFault(err, url, 'the Honeycomb API', 'set HONEYCOMB_API_ENDPOINT to https://api.honeycomb.io (EU: https://api.eu1.honeycomb.io)') ?? { cause: `request to ${url} failed: ${(err as Error).message}`, fix: 'try again' });
    }
    const text = await res.text();
    if (res.status >= 300 && res.status < 400) {
      const to = res.headers.get('location') ?? '';
      const where = URL.canParse(to, url) ? new URL(to, url).origin : 'elsewhere';
      throw new HoneycombError(res.status, {
        cause: `${this.endpoint} redirects ${path} to ${printable(where)}: the key is never sent on across a redirect`,
        fix: 'set HONEYCOMB_API_ENDPOINT to the API itself, https://api.honeycomb.io (EU: https://api.eu1.honeycomb.io), not a URL that forwards',
      });
    }
    if (!res.ok) throw httpError(res, text, path);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HoneycombError(res.status, {
        cause: `${url} answered ${res.status} with something that is not JSON (${JSON.stringify(text.slice(0, 60))})`,
        fix: 'check HONEYCOMB_API_ENDPOINT points at the Honeycomb API (https://api.honeycomb.io or https://api.eu1.honeycomb.io), not the UI or a proxy',
      });
    }
  }
}

/** Honeycomb's answer for what a new environment does not have yet: a dataset (404) or a column (422 naming it). */
export function notYet(err: unknown): boolean {
  return err instanceof HoneycombError && (err.status === 404 || (err.status === 422 && /column/i.test(err.fault.cause)));
}

interface QueryResult {
  id: string;
  complete: boolean;
  data?: { results?: { data?: Record<string, unknown> }[] };
}

function httpError(res: Response, text: string, path: string): HoneycombError {
  let said = '';
  try {
    const body = JSON.parse(text) as { error?: string; title?: string };
    said = printable(String(body.error ?? body.title ?? ''));
  } catch {
    said = printable(text.slice(0, 80));
  }
  const quoted = said ? ` ("${said}")` : '';
  // docs.honeycomb.io/api/errors: 403, "The API key does not have permission for this
  // operation"; 401, a key that is missing or invalid. A 401 on a call other than /1/auth, for a
  // key /1/auth accepts, is taken as the same refusal.
  const lacksPermission = () =>
    new HoneycombError(res.status, {
      cause: `Honeycomb refused this key for ${path}${quoted}: the key lacks the permission that call needs`,
      fix: 'in Honeycomb (Environment settings > API keys), edit the key\'s permissions: npm run doctor names the one each check needs',
    });
  switch (res.status) {
    case 401:
      if (path !== '/1/auth' && !/unknown API key/i.test(said)) return lacksPermission();
      return new HoneycombError(401, {
        cause: `Honeycomb does not accept this key${quoted}`,
        fix: 'copy the key again from Honeycomb (Environment settings > API keys) and save it with npm run setup; an EU key needs HONEYCOMB_API_ENDPOINT=https://api.eu1.honeycomb.io',
      });
    case 403:
      return lacksPermission();
    case 404:
      return new HoneycombError(404, { cause: `${path} was not found${quoted}`, fix: 'check HONEYCOMB_API_ENDPOINT is the API root, e.g. https://api.honeycomb.io' });
    case 429: {
      const after = retryAfterSeconds(res.headers.get('retry-after'));
      const when = after === undefined ? undefined : after >= MAX_RETRY_AFTER_S ? 'an hour or more' : `${after} s`;
      return new HoneycombError(
        429,
        { cause: `Honeycomb is rate-limiting this key${when ? ` (retry after ${when})` : ''}`, fix: `wait${when ? ` ${when}` : ' a minute'} and run again` },
        after,
      );
    }
    default:
      if (res.status >= 500) {
        return new HoneycombError(res.status, { cause: `Honeycomb answered ${res.status}${quoted}: a problem on its side`, fix: 'try again in a few minutes; https://status.honeycomb.io says whether it is down' });
      }
      return new HoneycombError(res.status, { cause: `Honeycomb answered ${res.status}${quoted}`, fix: 'check HONEYCOMB_API_ENDPOINT and the key' });
  }
}

/**
 * Whether the key's environment is the one HONEYCOMB_ENVIRONMENT names: its name or its slug,
 * whole, in any case ("Bootcamp" and "bootcamp" are one environment; "bootcamp-staging" is not).
 */
export function sameEnvironment(expected: string, environment: { name: string; slug: string }): boolean {
  const want = expected.trim().toLowerCase();
  return [environment.name, environment.slug].some((n) => n.trim().toLowerCase() === want);
}

/** The UI host that belongs to an API endpoint. */
export const uiBase = (endpoint: string): string => (isEu(endpoint) ? 'https://ui.eu1.honeycomb.io' : 'https://ui.honeycomb.io');

/** Honeycomb's dataset slug for a service name (lower case, runs of other characters to '-'). */
export const datasetSlug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
