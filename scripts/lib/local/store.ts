// The collector's local files (.cruddur/telemetry: OTLP JSON lines from its file exporter,
// otel-collector/local-files-on.yaml) as two DuckDB tables a query can read: `spans` and
// `metrics`, each row flattened the way Honeycomb makes its fields: a column for each attribute
// key, the span's and its resource's (the span's wins), beside the span's own name, duration_ms,
// span.kind, status_code, error, trace.* (a column per key, not a MAP: a question reads only the
// columns it names, ten times faster than looking keys up in a map; bench/local-board). Each file is read
// once into a Parquet copy beside it (.cruddur/telemetry/.board/), so a rotated file, which never
// changes again, costs nothing the next time; the file being written (at most 5 MB) is read again
// when it grew.
import { existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, closeSync } from 'node:fs';
import { basename, join } from 'node:path';
// DuckDB (45 ms to load) only when a store is opened: the doctor reads the file list alone.
import type { DuckDBConnection } from '@duckdb/node-api';
import { REPO_ROOT } from '../workspace/settings.ts';

/** Where docker-compose.yml mounts the collector's files (CRUDDUR_LOCAL_FILES=on). */
export const LOCAL_TELEMETRY = join(REPO_ROOT, '.cruddur', 'telemetry');

/** OTLP JSON's AnyValue, as far as a field's value goes (arrays and maps are left out). */
const ATTRS = 'STRUCT(key VARCHAR, value STRUCT(stringValue VARCHAR, intValue VARCHAR, doubleValue DOUBLE, boolValue BOOLEAN))[]';
const SPANS = `STRUCT(resource STRUCT(attributes ${ATTRS}), scopeSpans STRUCT(spans STRUCT(traceId VARCHAR, spanId VARCHAR, parentSpanId VARCHAR, name VARCHAR, kind INTEGER, startTimeUnixNano VARCHAR, endTimeUnixNano VARCHAR, attributes ${ATTRS}, status STRUCT(code INTEGER))[])[])[]`;
const POINTS = `STRUCT(attributes ${ATTRS}, timeUnixNano VARCHAR, asDouble DOUBLE, asInt VARCHAR)[]`;
const METRICS = `STRUCT(resource STRUCT(attributes ${ATTRS}), scopeMetrics STRUCT(metrics STRUCT(name VARCHAR, gauge STRUCT(dataPoints ${POINTS}), sum STRUCT(dataPoints ${POINTS}))[])[])[]`;

/** An attribute list as a MAP of strings: numbers and booleans as text, cast where a query needs them. */
const asMap = (list: string) =>
  `map_from_entries(list_transform(coalesce(${list}, []), a -> struct_pack(k := a.key, v := coalesce(a.value.stringValue, a.value.intValue, CAST(a.value.doubleValue AS VARCHAR), CAST(a.value.boolValue AS VARCHAR)))))`;
const nanos = (v: string) => `make_timestamp(CAST(CAST(${v} AS HUGEINT) / 1000 AS BIGINT))`;
/** A file's lines as one typed column; no file: no rows of the same type (a signal not written yet). */
const json = (file: string | undefined, type: string, column: string) =>
  file === undefined
    ? `(SELECT CAST(NULL AS ${type}) AS ${column} LIMIT 0)`
    : `read_json('${file.replace(/'/g, "''")}', format='newline_delimited', ignore_errors=true, columns={${column}: '${type}'})`;

// OTLP's SpanKind enum, as Honeycomb names span.kind (SPAN_KIND_SERVER = 2 is "server").
const KINDS = "['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']";

function spansSql(file?: string): string {
  return `
WITH raw AS (SELECT unnest(resourceSpans) AS rs FROM ${json(file, SPANS, 'resourceSpans')}),
scoped AS (SELECT rs.resource.attributes AS ra, unnest(rs.scopeSpans) AS ss FROM raw),
sp AS (SELECT ${asMap('ra')} AS rattrs, unnest(ss.spans) AS s FROM scoped)
SELECT
  ${nanos('s.startTimeUnixNano')} AS _ts,
  s.name AS name,
  (CAST(s.endTimeUnixNano AS HUGEINT) - CAST(s.startTimeUnixNano AS HUGEINT)) / 1e6 AS duration_ms,
  ${KINDS}[s.kind + 1] AS "span.kind",
  coalesce(s.status.code, 0) AS status_code,
  coalesce(s.status.code, 0) = 2 AS error,
  lower(s.traceId) AS "trace.trace_id",
  lower(s.spanId) AS "trace.span_id",
  nullif(lower(s.parentSpanId), '') AS "trace.parent_id",
  ${asMap('s.attributes')} AS attrs,
  rattrs
FROM sp`;
}

function metricsSql(file?: string): string {
  const points = (kind: 'gauge' | 'sum') => `
SELECT ra, m.name AS metric, unnest(m.${kind}.dataPoints) AS p FROM ms WHERE m.${kind} IS NOT NULL`;
  return `
WITH raw AS (SELECT unnest(resourceMetrics) AS rm FROM ${json(file, METRICS, 'resourceMetrics')}),
scoped AS (SELECT rm.resource.attributes AS ra, unnest(rm.scopeMetrics) AS sm FROM raw),
ms AS (SELECT ra, unnest(sm.metrics) AS m FROM scoped),
pts AS (${points('gauge')} UNION ALL ${points('sum')})
SELECT
  ${nanos('p.timeUnixNano')} AS _ts,
  metric,
  coalesce(p.asDouble, CAST(p.asInt AS DOUBLE)) AS value,
  ${asMap('p.attributes')} AS attrs,
  ${asMap('ra')} AS rattrs
FROM pts`;
}

/** Each table's own columns (the time, and what Honeycomb derives from a span or a point); an attribute by one of these names is shadowed. */
const OWN = {
  traces: ['_ts', 'name', 'duration_ms', 'span.kind', 'status_code', 'error', 'trace.trace_id', 'trace.span_id', 'trace.parent_id'],
  metrics: ['_ts', 'metric', 'value'],
};
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** One file's rows, each attribute key a column of its own, written to its Parquet copy. */
async function copyWithColumns(connection: DuckDBConnection, select: string, own: string[], copy: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE one_file AS ${select}`);
  const keys = (await connection.runAndReadAll('SELECT DISTINCT k FROM (SELECT unnest(map_keys(attrs)) AS k FROM one_file UNION ALL SELECT unnest(map_keys(rattrs)) FROM one_file) ORDER BY k'))
    .getRows()
    .map((r) => String(r[0]))
    .filter((k) => !own.includes(k));
  const columns = [...own.map(quoted), ...keys.map((k) => `coalesce(attrs[${literal(k)}], rattrs[${literal(k)}]) AS ${quoted(k)}`)];
  await connection.run(`COPY (SELECT ${columns.join(', ')} FROM one_file) TO ${literal(copy)} (FORMAT parquet)`);
  await connection.run('DROP TABLE one_file');
}

export interface TelemetryFile {
  path: string;
  signal: 'traces' | 'metrics' | 'logs';
  bytes: number;
  /** The last line was cut short (a copy taken mid-write, a disk that filled up): read without it. */
  cut: boolean;
}

/** The collector's files, the current and the rotated ones (timberjack names a backup traces-<time>.jsonl). */
export function telemetryFiles(dir: string): TelemetryFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => /^(traces|metrics|logs)(-[^/]*)?\.jsonl$/.exec(name))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => {
      const path = join(dir, m[0]);
      return { path, signal: m[1] as TelemetryFile['signal'], bytes: statSync(path).size, cut: endsCut(path) };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether a file's last line is incomplete: no newline at its end, or a last line that is not JSON. */
function endsCut(path: string): boolean {
  const size = statSync(path).size;
  if (!size) return false;
  const fd = openSync(path, 'r');
  try {
    const tail = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const text = tail.toString('utf8');
    if (!text.endsWith('\n')) return true;
    const last = text.slice(0, -1).split('\n').at(-1) ?? '';
    try {
      JSON.parse(last);
      return false;
    } catch {
      return tail.length === size || last.length < tail.length - 1;
    }
  } finally {
    closeSync(fd);
  }
}

export interface Store {
  connection: DuckDBConnection;
  files: TelemetryFile[];
  /** Rows in each table. */
  counts: { spans: number; metrics: number };
  /** Each table's columns: its own and every attribute key seen in any file. */
  columns: { spans: ReadonlySet<string>; metrics: ReadonlySet<string> };
  close(): void;
}

/**
 * Opens the telemetry folder: each traces and metrics file read into its Parquet copy when it has
 * none yet (or grew since), then `spans` and `metrics` as views over all the copies.
 */
export async function openStore(dir: string, opts: { onRead?: (done: number, total: number) => void } = {}): Promise<Store> {
  const files = telemetryFiles(dir);
  const cache = join(dir, '.board');
  mkdirSync(cache, { recursive: true });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const copies: Record<'traces' | 'metrics', string[]> = { traces: [], metrics: [] };
  const keep = new Set<string>();
  const wanted = files
    .filter((x) => x.signal !== 'logs')
    .map((f) => {
      const stat = statSync(f.path);
      // Named by the file's inode, which a rotation's rename keeps: a rotated file keeps its copy.
      return { ...f, copy: join(cache, `${stat.ino || basename(f.path)}.${stat.size}.${Math.floor(stat.mtimeMs)}.parquet`) };
    });
  const unread = wanted.filter((f) => !existsSync(f.copy));
  for (const [i, f] of unread.entries()) {
    opts.onRead?.(i, unread.length);
    const traces = f.signal === 'traces';
    await copyWithColumns(connection, traces ? spansSql(f.path) : metricsSql(f.path), traces ? OWN.traces : OWN.metrics, f.copy);
  }
  for (const f of wanted) {
    keep.add(f.copy);
    copies[f.signal as 'traces' | 'metrics'].push(f.copy);
  }
  // Copies of files that have since grown or gone.
  for (const name of readdirSync(cache)) if (!keep.has(join(cache, name))) rmSync(join(cache, name), { force: true });
  // Files with different keys: union_by_name gives each file's missing columns as NULL. A signal
  // with no file yet: its own columns and no rows, so a question on it answers nothing.
  const view = async (name: string, list: string[], empty: string, own: string[]) =>
    connection.run(`CREATE VIEW ${name} AS ${list.length ? `SELECT * FROM read_parquet([${list.map(literal).join(', ')}], union_by_name = true)` : `SELECT ${own.map(quoted).join(', ')} FROM (${empty})`}`);
  await view('spans', copies.traces, spansSql(), OWN.traces);
  await view('metrics', copies.metrics, metricsSql(), OWN.metrics);
  const count = async (table: string) => Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
  const columns = async (table: string) => new Set((await connection.runAndReadAll(`DESCRIBE ${table}`)).getRows().map((r) => String(r[0])));
  return {
    connection,
    files,
    counts: { spans: await count('spans'), metrics: await count('metrics') },
    columns: { spans: await columns('spans'), metrics: await columns('metrics') },
    close: () => connection.closeSync(),
  };
}
