// A Honeycomb query spec (the board's own BOARD_QUERIES) as SQL over the local store: the one
// place the translation lives. Honeycomb's semantics, as its query docs and the Query Data API
// describe them: a calculation on a column counts only the events that have it; COUNT of nothing
// counts events; breakdowns group; filters are ANDed unless filter_combination says OR; orders
// sort the groups; time_range is the seconds before now. On the metrics dataset each metric is a
// field of its events: AVG(system.memory.usage) is the mean of that metric's data points.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BoardQuery } from '../honeycomb/board.ts';

type Spec = BoardQuery['spec'] & { filter_combination?: 'AND' | 'OR'; limit?: number };
type Calculation = Spec['calculations'][number];

const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A field as text (its column; a field no event has is NULL, as Honeycomb answers an unwritten column). */
function field(column: string, q: LocalQuery): string {
  return q.columns.has(column) ? `CAST(${quoted(column)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
}

/** A field as a number, for a calculation (NULL where the event does not have it). */
function numeric(column: string, q: LocalQuery): string {
  if (q.table === 'metrics') return `CASE WHEN metric = ${literal(column)} THEN value END`;
  if (column === 'duration_ms') return 'duration_ms';
  return `TRY_CAST(${field(column, q)} AS DOUBLE)`;
}

const FILTERS: Record<string, (f: string, v: string) => string> = {
  '=': (f, v) => `${f} = ${v}`,
  '!=': (f, v) => `${f} IS DISTINCT FROM ${v}`,
  '>': (f, v) => `TRY_CAST(${f} AS DOUBLE) > ${v}`,
  '>=': (f, v) => `TRY_CAST(${f} AS DOUBLE) >= ${v}`,
  '<': (f, v) => `TRY_CAST(${f} AS DOUBLE) < ${v}`,
  '<=': (f, v) => `TRY_CAST(${f} AS DOUBLE) <= ${v}`,
  exists: (f) => `${f} IS NOT NULL`,
  'does-not-exist': (f) => `${f} IS NULL`,
  'starts-with': (f, v) => `starts_with(${f}, ${v})`,
  contains: (f, v) => `contains(${f}, ${v})`,
};

function filter(f: NonNullable<Spec['filters']>[number], q: LocalQuery): string {
  const make = FILTERS[f.op];
  if (!make) throw new Error(`filter op ${f.op} is not one the local board knows`);
  // Fields are text here; a boolean or number compares as the text Honeycomb's value prints as.
  const value = typeof f.value === 'number' ? literal(f.value) : literal(f.value ?? '');
  const target = typeof f.value === 'number' && f.op === '=' ? `TRY_CAST(${field(f.column, q)} AS DOUBLE)` : field(f.column, q);
  return make(target, value);
}

/** The label a calculation's result goes by, as Honeycomb's query results name it: COUNT, P90(duration_ms). */
export const label = (c: Calculation) => (c.column && !(c.op === 'COUNT' && !c.column) ? `${c.op}(${c.column})` : c.op);

function aggregate(c: Calculation, q: LocalQuery): string {
  const x = c.column ? numeric(c.column, q) : undefined;
  const percentile = /^P(\d+)$/.exec(c.op);
  if (percentile) return `quantile_cont(${x}, ${Number(`0.${percentile[1]!.padStart(2, '0')}`)})`;
  switch (c.op) {
    case 'COUNT':
      return c.column ? `count(${q.table === 'metrics' ? x : field(c.column, q)})` : 'count(*)';
    case 'COUNT_DISTINCT':
      return `count(DISTINCT ${field(c.column!, q)})`;
    case 'SUM':
      return `sum(${x})`;
    case 'AVG':
      return `avg(${x})`;
    case 'MAX':
      return `max(${x})`;
    case 'MIN':
      return `min(${x})`;
    // The heatmap's own counts come from heatmapSql; as one number, how many events it holds.
    case 'HEATMAP':
      return `count(${x})`;
    default:
      throw new Error(`calculation ${c.op} is not one the local board knows`);
  }
}

export interface LocalQuery {
  table: 'spans' | 'metrics';
  /** The dataset the spec is for: the service's name for spans (metrics have one dataset locally). */
  dataset: string;
  /** The end of the time range, for a range relative to it. */
  now: Date;
  /** The table's columns (Store.columns). */
  columns: ReadonlySet<string>;
}

function where(spec: Spec, q: LocalQuery): string {
  const parts = [`_ts >= ${literal(new Date(q.now.getTime() - spec.time_range * 1000).toISOString())}::TIMESTAMP`, `_ts <= ${literal(q.now.toISOString())}::TIMESTAMP`];
  // Honeycomb sends each service.name to a dataset of that name.
  if (q.table === 'spans') parts.push(`${field('service.name', q)} = ${literal(q.dataset)}`);
  const filters = (spec.filters ?? []).map((f) => filter(f, q));
  if (filters.length) parts.push(`(${filters.join(spec.filter_combination === 'OR' ? ' OR ' : ' AND ')})`);
  return parts.join(' AND ');
}

/** The spec's groups: one row per combination of breakdown values, with each calculation's result. */
export function specToSql(spec: Spec, q: LocalQuery): string {
  const groups = (spec.breakdowns ?? []).map((b) => `${field(b, q)} AS ${quoted(b)}`);
  const calcs = spec.calculations.map((c) => `${aggregate(c, q)} AS ${quoted(label(c))}`);
  const orders = (spec.orders ?? []).map((o) => `${quoted(o.op ? label({ op: o.op, column: o.column }) : o.column!)} ${o.order === 'ascending' ? 'ASC' : 'DESC'} NULLS LAST`);
  // A metric's calculation counts only rows of that metric: a group that has none is no group.
  const having = q.table === 'metrics' ? ` HAVING ${spec.calculations.map((c) => `${aggregate(c, q)} IS NOT NULL`).join(' OR ')}` : '';
  return [
    `SELECT ${[...groups, ...calcs].join(', ')}`,
    `FROM ${q.table}`,
    `WHERE ${where(spec, q)}`,
    groups.length ? `GROUP BY ${groups.map((_, i) => i + 1).join(', ')}` : '',
    having,
    orders.length ? `ORDER BY ${orders.join(', ')}` : groups.length ? `ORDER BY ${groups.length + 1} DESC NULLS LAST` : '',
    `LIMIT ${spec.limit ?? 1000}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Where a chart of the spec starts: the range's start, or the first data within it when that is
 * later (a workspace an hour old would otherwise draw 23 empty hours).
 */
export function chartStart(spec: Spec, q: LocalQuery, first: Date | undefined): number {
  const start = q.now.getTime() - spec.time_range * 1000;
  return first && first.getTime() > start ? first.getTime() : start;
}

/** The first calculation over time, in `steps` equal steps from `start` to now (a sparkline's points). */
export function seriesSql(spec: Spec, q: LocalQuery, steps: number, start = q.now.getTime() - spec.time_range * 1000): string {
  const c = spec.calculations[0]!;
  const width = Math.max(1, q.now.getTime() - start) / steps;
  return `SELECT least(${steps - 1}, CAST(floor((epoch_ms(_ts) - ${start}) / ${width}) AS INTEGER)) AS step, ${aggregate(c, q)} AS value FROM ${q.table} WHERE ${where(spec, q)} GROUP BY 1 ORDER BY 1`;
}

/** A HEATMAP: events counted by time step and value band (the column's range cut in `bands`). */
export function heatmapSql(spec: Spec, q: LocalQuery, steps: number, bands: number, start = q.now.getTime() - spec.time_range * 1000): string {
  const c = spec.calculations.find((x) => x.op === 'HEATMAP')!;
  const x = numeric(c.column!, q);
  const width = Math.max(1, q.now.getTime() - start) / steps;
  return `WITH v AS (SELECT epoch_ms(_ts) AS t, ${x} AS x FROM ${q.table} WHERE ${where(spec, q)} AND ${x} IS NOT NULL),
r AS (SELECT min(x) AS lo, max(x) AS hi FROM v)
SELECT least(${steps - 1}, CAST(floor((t - ${start}) / ${width}) AS INTEGER)) AS step,
  CAST(least(${bands - 1}, floor((x - lo) / greatest(hi - lo, 1e-9) * ${bands})) AS INTEGER) AS band,
  count(*) AS n, any_value(lo) AS lo, any_value(hi) AS hi
FROM v, r GROUP BY 1, 2 ORDER BY 1, 2`;
}

export type Row = Record<string, string | number | null>;

/** Runs SQL and answers plain rows: the named columns as numbers (a count is a BIGINT, read as text), the rest as text. */
export async function rows(connection: DuckDBConnection, sql: string, numbers: string[]): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : numbers.includes(k) ? Number(v) : String(v)])) as Row);
}
