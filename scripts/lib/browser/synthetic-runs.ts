// npm run synthetic's runs: what each measured, kept one JSON line per run in the workspace
// (.cruddur/synthetic/runs.jsonl), so every run can be set beside the ones before it.
import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../workspace/settings.ts';
import type { JourneyReport, Step } from './journey.ts';

export const SYNTHETIC_RUNS = join(REPO_ROOT, '.cruddur', 'synthetic', 'runs.jsonl');
// A run is about 1 KB: past 1 MB the oldest go, the newest 500 stay (weeks at one run in 5 minutes).
const MAX_BYTES = 1_000_000;
const KEEP = 500;

export interface SyntheticRun {
  at: string;
  session: string;
  /** The front end's origin the run opened. */
  origin: string;
  ok: boolean;
  /** From opening the address to the first crud of the feed on screen. */
  feedMs?: number;
  loadMs?: number;
  lcpMs?: number;
  /** Every step, end to end. */
  journeyMs?: number;
  steps: Step[];
  /** The page's posts of its spans, and how many the front end's /v1/traces took. */
  spans: { posted: number; taken: number };
  /** Why the run failed: the step that stopped, or what happened to its spans. */
  problem?: string;
}

export const MEASURES = ['feedMs', 'loadMs', 'lcpMs', 'journeyMs'] as const;
export type Measure = (typeof MEASURES)[number];

export function runFromReport(report: JourneyReport, session: string, at: Date, problem: string | undefined): SyntheticRun {
  const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));
  const complete = report.steps.length > 0 && report.steps.every((s) => !s.error);
  return {
    at: at.toISOString(),
    session,
    origin: new URL(report.url).origin,
    ok: !problem,
    feedMs: report.steps[0] && !report.steps[0].error ? round(report.steps[0].ms) : undefined,
    loadMs: round(report.loadMs),
    lcpMs: round(report.lcpMs),
    journeyMs: complete ? round(report.steps.reduce((sum, s) => sum + s.ms, 0)) : undefined,
    steps: report.steps.map((s) => ({ ...s, ms: Math.round(s.ms) })),
    spans: { posted: report.spanPosts.length, taken: report.spanPosts.filter((p) => p.status >= 200 && p.status < 300).length },
    ...(problem ? { problem } : {}),
  };
}

/** The runs kept, oldest first; a line that is not a run (cut short, edited) is passed over. */
export function readRuns(file = SYNTHETIC_RUNS): SyntheticRun[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const runs: SyntheticRun[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const run = JSON.parse(line) as SyntheticRun;
      if (typeof run.at === 'string' && typeof run.ok === 'boolean' && Array.isArray(run.steps)) runs.push(run);
    } catch {
      // not a run
    }
  }
  return runs;
}

/** Adds a run; past MAX_BYTES the file is rewritten with the newest KEEP (whole, then renamed). */
export function keepRun(run: SyntheticRun, file = SYNTHETIC_RUNS): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(run)}\n`);
  if (statSync(file).size <= MAX_BYTES) return;
  const newest = readRuns(file).slice(-KEEP);
  writeFileSync(`${file}.tmp`, newest.map((r) => `${JSON.stringify(r)}\n`).join(''));
  renameSync(`${file}.tmp`, file);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The run against the median of the last `n` before it from the same front end that measured
 * the same thing: the change in per cent, per measure (none where nothing earlier measured it).
 */
export function trend(run: SyntheticRun, earlier: SyntheticRun[], n = 10): { runs: number; change: Partial<Record<Measure, number>> } {
  const same = earlier.filter((r) => r.origin === run.origin && r.ok).slice(-n);
  const change: Partial<Record<Measure, number>> = {};
  for (const m of MEASURES) {
    const values = same.map((r) => r[m]).filter((v): v is number => typeof v === 'number');
    const now = run[m];
    if (!values.length || now === undefined) continue;
    const base = median(values);
    if (base > 0) change[m] = Math.round(((now - base) / base) * 100);
  }
  return { runs: same.length, change };
}
