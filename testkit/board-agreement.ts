// The local board's answer and Honeycomb's for the same spec: the Query Data API asked as the
// smoke asks it (a query, then its result, polled), and the comparison that npm test's local
// board suite and the container lane both make.
import type { BoardQuery } from '../scripts/lib/honeycomb/board.ts';
import type { Answer } from '../scripts/lib/local/board.ts';

export interface HoneycombAnswer {
  rows: Record<string, unknown>[];
  /** The end of the range it counted: the Query Data API truncates a range to the minute. */
  endMs: number;
  /** Why the query was refused: a column no event has carried yet (422), which is no answer yet. */
  refused?: string;
}

/** One spec's result from a Honeycomb (the fake), waiting out the 10-results-a-minute limit. */
export async function askHoneycomb(url: string, key: string, dataset: string, spec: BoardQuery['spec'], minuteMs: number): Promise<HoneycombAnswer> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: { 'x-honeycomb-team': key, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const query = await call('POST', `/1/queries/${dataset}`, spec);
  // A new environment refuses a query naming a column no event has carried (#33): no answer yet.
  if (query.status === 422 && /unknown column/.test(String(query.body.error))) return { rows: [], endMs: Math.floor(Date.now() / minuteMs) * minuteMs, refused: String(query.body.error) };
  if (!query.body.id) throw new Error(`the query was refused: ${JSON.stringify(query.body)}`);
  for (let waited = 0; ; waited += minuteMs / 12) {
    const asked = Date.now();
    const created = await call('POST', `/1/query_results/${dataset}`, { query_id: query.body.id });
    if (created.status === 429 && waited < 2 * minuteMs) {
      await new Promise((r) => setTimeout(r, minuteMs / 12));
      continue;
    }
    if (!created.body.id) throw new Error(`no query result: ${created.status} ${JSON.stringify(created.body)}`);
    let result = created.body;
    while (!result.complete) {
      await new Promise((r) => setTimeout(r, 30));
      result = (await call('GET', `/1/query_results/${dataset}/${created.body.id}`)).body;
    }
    return { rows: result.data.results.map((r: { data: Record<string, unknown> }) => r.data), endMs: Math.floor(asked / minuteMs) * minuteMs };
  }
}

// Durations: Honeycomb reads them off the protobuf the collector sends, to the microsecond; the
// files keep nanoseconds. A microsecond apart is the same answer.
const close = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= Math.max(1e-3, 1e-6 * Math.abs(a)) : a === b);

/** Where the local answer and Honeycomb's rows differ, in words; none when they agree. */
export function differences(q: BoardQuery, local: Answer, remote: Record<string, unknown>[]): string[] {
  const key = (r: Record<string, unknown>) => (q.spec.breakdowns ?? []).map((b) => String(r[b] ?? '')).join(' | ');
  // An aggregate over nothing (no host-memory point in a range shorter than the collector's 30 s
  // interval): the fake answers one row of nulls, the local board no row. Both show no data.
  remote = remote.filter((r) => !local.labels.length || local.labels.some((l) => r[l] !== null && r[l] !== undefined));
  if (local.rows.length !== remote.length) return [`${local.rows.length} groups locally, ${remote.length} in Honeycomb: local ${JSON.stringify(local.rows)}, Honeycomb ${JSON.stringify(remote)}`];
  const out: string[] = [];
  for (const r of remote) {
    const mine = local.rows.find((l) => key(l) === key(r));
    if (!mine) out.push(`group ${key(r)} is not in the local answer`);
    else for (const l of local.labels) if (!close(mine[l], r[l])) out.push(`${key(r) || 'all'}: ${l} is ${mine[l]} locally, ${r[l]} in Honeycomb`);
  }
  return out;
}
