// The local board in a terminal: a heatmap in characters (denser characters, more events), groups
// as a sorted table, and a value over time as a sparkline. Plain text, so it reads the same in a
// log, a CI page or a screenshot.
import type { Answer, Heatmap } from './board.ts';

const SHADES = ' .:-=+*#%@';
const SPARK = '▁▂▃▄▅▆▇█';

export const formatNumber = (v: number | string | null | undefined): string => {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'string') return v;
  // Bytes and counts in the millions read better as 2.06 G than as ten digits.
  for (const [size, unit] of [[1e9, 'G'], [1e6, 'M'], [1e4, 'k']] as const) if (Math.abs(v) >= size) return `${(v / size).toFixed(2)} ${unit}`;
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);
};

export function sparkline(series: (number | null)[]): string {
  const values = series.filter((v): v is number => v !== null);
  if (!values.length) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return series.map((v) => (v === null ? ' ' : SPARK[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (SPARK.length - 1))])).join('');
}

export function heatmapLines(h: Heatmap): string[] {
  const max = Math.max(1, ...h.cells.flat());
  const width = (h.hi - h.lo) / h.bands;
  const lines: string[] = [];
  for (let band = h.bands - 1; band >= 0; band--) {
    const row = h.cells[band]!.map((n) => (n ? SHADES[Math.max(1, Math.ceil((n / max) * (SHADES.length - 1)))] : SHADES[0])).join('');
    lines.push(`${formatNumber(h.lo + width * (band + 1)).padStart(8)} │${row}`);
  }
  lines.push(`${''.padStart(8)} └${'─'.repeat(h.steps)}`);
  return lines;
}

export function table(answer: Answer, limit = 10): string[] {
  const breakdowns = answer.query.spec.breakdowns ?? [];
  const headers = [...breakdowns, ...answer.labels];
  const body = answer.rows.slice(0, limit).map((r) => headers.map((h) => formatNumber(r[h])));
  if (!body.length) return [];
  const widths = headers.map((h, i) => Math.min(40, Math.max(h.length, ...body.map((row) => row[i]!.length))));
  const fit = (s: string, w: number, right: boolean) => (s.length > w ? `${s.slice(0, w - 1)}…` : right ? s.padStart(w) : s.padEnd(w));
  const numeric = headers.map((_, i) => i >= breakdowns.length);
  const line = (cells: string[]) => cells.map((c, i) => fit(c, widths[i]!, numeric[i]!)).join('  ');
  const rest = answer.rows.length > limit ? [`(${answer.rows.length - limit} more)`] : [];
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...body.map(line), ...rest];
}

/** What a chart spans: the query's range, or, when the data starts later, since then. */
function window(a: Answer, range: string): string {
  const hours = (Date.parse(a.to) - Date.parse(a.from)) / 3_600_000;
  return hours < 23.9 ? `${range}; charts since ${a.from.slice(11, 16)} UTC, the first data` : range;
}

/** Every answer, one block each: its question, then what the data says (or that it says nothing yet). */
export function renderBoard(answers: Answer[], range: string): string {
  const out: string[] = [];
  for (const a of answers) {
    out.push(`■ ${a.query.name}  (${a.dataset}, ${window(a, range)})`);
    const empty = !a.rows.length || a.rows.every((r) => a.labels.every((l) => !r[l]));
    if (empty) {
      out.push('  no data yet', '');
      continue;
    }
    if (a.heatmap) out.push(...heatmapLines(a.heatmap).map((l) => `  ${l}`));
    else if (a.series && !a.query.spec.breakdowns?.length) {
      const total = a.rows[0] ?? {};
      out.push(`  ${a.labels.map((l) => `${l} ${formatNumber(total[l])}`).join('   ')}`, `  ${sparkline(a.series)}`);
    } else out.push(...table(a).map((l) => `  ${l}`));
    out.push('');
  }
  return out.join('\n');
}
