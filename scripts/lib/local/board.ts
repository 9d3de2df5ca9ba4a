// The week's board, answered locally: each of BOARD_QUERIES (the same specs honeycomb:board saves)
// run on the store, as groups, a series over time, or a heatmap, for the terminal and the page.
import type { Datasets } from '../honeycomb/board.ts';
import { BOARD_QUERIES, type BoardQuery } from '../honeycomb/board.ts';
import { chartStart, heatmapSql, label, rows, seriesSql, specToSql, type LocalQuery, type Row } from './query.ts';
import type { Store } from './store.ts';

export interface Heatmap {
  steps: number;
  bands: number;
  /** cells[band][step]: events in that value band and time step. */
  cells: number[][];
  lo: number;
  hi: number;
}

export interface Answer {
  query: BoardQuery;
  dataset: string;
  /** When its charts start (the range's start, or its first data when later), and end. */
  from: string;
  to: string;
  /** The calculations' labels, the columns of `rows` after the breakdowns. */
  labels: string[];
  rows: Row[];
  /** The first calculation over the range, for a query without breakdowns. */
  series?: (number | null)[];
  heatmap?: Heatmap;
}

export async function answerBoard(store: Store, datasets: Datasets, opts: { now?: Date; steps?: number; bands?: number; queries?: BoardQuery[] } = {}): Promise<Answer[]> {
  const now = opts.now ?? new Date();
  const steps = opts.steps ?? 48;
  const bands = opts.bands ?? 8;
  const answers: Answer[] = [];
  const first: Record<string, Date | undefined> = {};
  for (const table of ['spans', 'metrics']) {
    const [row] = await rows(store.connection, `SELECT CAST(min(_ts) AS VARCHAR) AS first FROM ${table}`, []);
    first[table] = row?.first ? new Date(`${row.first}Z`) : undefined;
  }
  for (const query of opts.queries ?? BOARD_QUERIES) {
    const table = query.service === 'metrics' ? 'metrics' : 'spans';
    const q: LocalQuery = { table, dataset: datasets[query.service], now, columns: store.columns[table] };
    const labels = query.spec.calculations.map(label);
    const start = chartStart(query.spec, q, first[q.table]);
    const answer: Answer = { query, dataset: q.dataset, from: new Date(start).toISOString(), to: now.toISOString(), labels, rows: await rows(store.connection, specToSql(query.spec, q), labels) };
    if (!query.spec.breakdowns?.length) {
      const points = await rows(store.connection, seriesSql(query.spec, q, steps, start), ['step', 'value']);
      answer.series = Array.from({ length: steps }, (_, i) => (points.find((p) => p.step === i)?.value as number | undefined) ?? null);
    }
    if (query.spec.calculations.some((c) => c.op === 'HEATMAP')) {
      const cells = await rows(store.connection, heatmapSql(query.spec, q, steps, bands, start), ['step', 'band', 'n', 'lo', 'hi']);
      const grid = Array.from({ length: bands }, () => new Array<number>(steps).fill(0));
      for (const c of cells) if ((c.step as number) >= 0 && (c.step as number) < steps) grid[c.band as number]![c.step as number] = c.n as number;
      answer.heatmap = { steps, bands, cells: grid, lo: (cells[0]?.lo as number) ?? 0, hi: (cells[0]?.hi as number) ?? 0 };
    }
    answers.push(answer);
  }
  return answers;
}
