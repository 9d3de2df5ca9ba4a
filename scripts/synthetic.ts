// npm run synthetic: the week's synthetic monitoring. The smoke's journey (home feed, a user's
// page, a crud, a reply, the messages) walked in a real browser at the front end, once or every
// N minutes, each run measured (the first feed on screen, load, LCP, each step) and set beside
// the runs before it. Its spans carry app.traffic = synthetic and the session's id, so the
// board's "synthetic runs against real users" sets them beside real page loads.
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { findChromium, GET_CHROMIUM, launchChromium } from './lib/browser/chromium.ts';
import { frontEndProblem, JOURNEY_STEPS, spanPostProblem, taggedUrl, walkJourney } from './lib/browser/journey.ts';
import { keepRun, readRuns, runFromReport, SYNTHETIC_RUNS, trend, type Measure, type SyntheticRun } from './lib/browser/synthetic-runs.ts';
import { isMain, parseCli, UsageError } from './lib/terminal/cli.ts';
import { safeJson, safeOutput } from './lib/terminal/secrets.ts';
import { filteredTerm, terminal, type Colors, type Term } from './lib/terminal/term.ts';
import { loadSettings, settingsSecrets, type Settings } from './lib/workspace/settings.ts';

export const HELP = `Usage: npm run synthetic [-- options]

Walks Cruddur in a headless browser as a user would (${JOURNEY_STEPS.join(', ')}),
measures it (the first feed on screen, the page's load and LCP, each step) and sets each run
beside the last ones. Its spans go where a user's go, tagged app.traffic = synthetic with the
session's id (app.synthetic_session): the board's "synthetic runs against real users" compares.

Options:
  --every <time>   run again every <time> (30s, 5m, 1h) until Ctrl-C
  --runs <n>       stop after n runs (with --every, or back to back without it)
  --json           one JSON line per run, nothing else on stdout
  -h, --help       this text

The front end it opens: FRONTEND_SERVER_URL (default http://localhost:3000; npm run up starts it).
Runs are kept in .cruddur/synthetic/runs.jsonl (the newest 500 past 1 MB).`;

export interface SyntheticOptions {
  settings?: Settings;
  term?: Term;
  runsFile?: string;
  /** Aborted by Ctrl-C: a wait ends at once, a run under way is stopped and not kept. */
  signal?: AbortSignal;
}

/** 30s, 5m, 1h (a bare number is refused: seconds or minutes is a guess). */
export function parseEvery(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'] : NaN;
  if (!(ms >= 1000)) throw new UsageError(`--every takes a time like 30s, 5m or 1h (at least 1s); got "${text}"`);
  return ms;
}

export async function synthetic(argv: string[], options: SyntheticOptions = {}): Promise<number> {
  const settings = options.settings ?? loadSettings();
  // It sends no key anywhere; still, what it prints (an address, a page's error) is filtered like every command's.
  const term = filteredTerm(options.term ?? terminal(), (line) => safeOutput(line, settingsSecrets(settings)));
  const c = term.color;
  let everyMs: number | undefined;
  let maxRuns: number;
  let json: boolean;
  try {
    const { values } = parseCli(argv, { every: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return (term.out(HELP), 0);
    everyMs = values.every === undefined ? undefined : parseEvery(values.every);
    maxRuns = values.runs === undefined ? (everyMs ? Infinity : 1) : Number(values.runs);
    if (values.runs !== undefined && !(Number.isInteger(maxRuns) && maxRuns >= 1)) throw new UsageError(`--runs takes a whole number of runs, 1 or more; got "${values.runs}"`);
    json = values.json;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    term.err(c.red(err.message));
    return 1;
  }
  const runsFile = options.runsFile ?? SYNTHETIC_RUNS;
  const shownFile = relative(process.cwd(), runsFile) || runsFile;
  const signal = options.signal ?? new AbortController().signal;
  const found = findChromium(settings.env);
  if ('why' in found) {
    term.err(c.red(`no browser to walk the journey in: ${found.why}`));
    term.err(`  what to do: ${GET_CHROMIUM}`);
    return 1;
  }
  const url = settings.frontendServerUrl.value;
  const session = `synthetic-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const say = json ? () => {} : (line = '') => term.out(line);
  const schedule = everyMs ? `every ${duration(everyMs)}${Number.isFinite(maxRuns) ? `, ${maxRuns} runs` : ' until Ctrl-C'}` : maxRuns > 1 ? `${maxRuns} runs` : 'once';
  say(c.bold(`Synthetic journey at ${url}, ${schedule}`));
  say(c.dim(`its spans carry app.traffic = synthetic, app.synthetic_session = ${session}; runs kept in ${shownFile}`));
  say();
  const earlier = readRuns(runsFile).filter((r) => r.origin === safeOrigin(url));
  say(c.dim(header()));
  for (const r of earlier.slice(-5)) say(c.dim(row(r, colorless)));

  let browser: Browser;
  try {
    browser = await launchChromium(settings.env);
  } catch (err) {
    term.err(c.red(`the browser at ${found.path} did not start: ${firstLine(err)}`));
    term.err(`  what to do: run it once by hand (${found.path} --headless --no-sandbox about:blank) to see why, or set CHROMIUM_PATH to another Chrome or Chromium`);
    return 1;
  }
  const done: SyntheticRun[] = [];
  let interrupted = false;
  const stop = () => void browser.close().catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  try {
    while (done.length < maxRuns && !signal.aborted) {
      const started = Date.now();
      if (!json) term.progress(c.dim(`… run ${done.length + 1}: walking ${url}`));
      // Kept as printed: an address's password or a key a page quoted never reaches the file either.
      const run = safeJson(await oneRun(browser, url, session, settings), settingsSecrets(settings));
      if (signal.aborted) {
        interrupted = true;
        break;
      }
      keepRun(run, runsFile);
      if (json) term.out(JSON.stringify({ ...run, session }));
      else printRun(term, run, [...earlier, ...done]);
      done.push(run);
      if (done.length >= maxRuns || !everyMs) continue;
      const wait = started + everyMs - Date.now();
      if (wait <= 0) say(c.dim(`  (the run took longer than --every: the next starts now)`));
      else {
        if (!json) term.progress(c.dim(`… next run at ${clock(new Date(Date.now() + wait))} (Ctrl-C stops)`));
        await sleep(wait, signal);
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    await browser.close().catch(() => {});
  }
  const failed = done.filter((r) => !r.ok).length;
  say();
  if (interrupted) say(c.dim('stopped during a run: that run is not kept'));
  say(`${done.length} run${done.length === 1 ? '' : 's'}, ${failed ? c.red(`${failed} failed`) : c.green('none failed')}; kept in ${shownFile}`);
  if (done.some((r) => r.ok)) say(c.dim(`in Honeycomb (${settings.frontendServiceName.value}): the board's "Page load (LCP): synthetic runs against real users", or WHERE app.synthetic_session = ${session}`));
  return failed ? 1 : 0;
}

async function oneRun(browser: Browser, url: string, session: string, settings: Settings): Promise<SyntheticRun> {
  const at = new Date();
  const failed = (problem: string): SyntheticRun => ({ at: at.toISOString(), session, origin: safeOrigin(url), ok: false, steps: [], spans: { posted: 0, taken: 0 }, problem });
  const front = await frontEndProblem(url);
  if (front) return failed(front);
  try {
    const report = await walkJourney(browser, taggedUrl(url, { syntheticSession: session }), { text: `A synthetic run at ${clock(at)}` });
    const stopped = report.steps.find((s) => s.error);
    return runFromReport(report, session, at, stopped ? `stopped at "${stopped.name}": ${stopped.error}` : spanPostProblem(report, settings));
  } catch (err) {
    return failed(`the browser failed: ${firstLine(err)}`);
  }
}

// The table: one row a run, the earlier ones dim above the new.
const COLUMNS = ['run', 'feed', 'load', 'LCP', 'journey', 'span posts'] as const;
const WIDTHS = [10, 9, 9, 9, 9, 14];
const pad = (cells: string[]) => cells.map((cell, i) => cell.padEnd(WIDTHS[i] ?? 0)).join('');
const header = () => pad([...COLUMNS]);
const colorless = { red: (s: string) => s, green: (s: string) => s } as Pick<Colors, 'red' | 'green'>;

function row(run: SyntheticRun, c: Pick<Colors, 'red' | 'green'>): string {
  const spans = run.spans.posted === 0 ? '—' : run.spans.taken === run.spans.posted ? `${run.spans.taken} taken` : `${run.spans.taken} of ${run.spans.posted} taken`;
  return pad([clock(new Date(run.at)), ms(run.feedMs), ms(run.loadMs), ms(run.lcpMs), ms(run.journeyMs), spans]) + (run.ok ? c.green('✔') : c.red('✘'));
}

function printRun(term: Term, run: SyntheticRun, earlier: SyntheticRun[]): void {
  const c = term.color;
  term.out(row(run, c));
  const indent = ' '.repeat(WIDTHS[0]!);
  if (run.steps.length) term.out(c.dim(indent + run.steps.map((s) => `${s.name} ${s.error ? '✘' : ms(s.ms)}`).join(' · ')));
  if (run.problem) term.out(indent + c.red(run.problem));
  const { runs, change } = trend(run, earlier);
  const names: Record<Measure, string> = { feedMs: 'feed', loadMs: 'load', lcpMs: 'LCP', journeyMs: 'journey' };
  const parts = (Object.keys(change) as Measure[]).map((m) => {
    const pct = change[m]!;
    const text = `${names[m]} ${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)} %`;
    // A fifth slower than usual is worth a look; a swing smaller than that is the machine's noise.
    return pct >= 20 ? c.yellow(text) : text;
  });
  if (parts.length) term.out(c.dim(`${indent}against the median of the last ${runs} run${runs === 1 ? '' : 's'}: `) + parts.join(', '));
}

const ms = (n: number | undefined) => (n === undefined ? '—' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`);
const clock = (d: Date) => d.toTimeString().slice(0, 8);
const duration = (n: number) => (n % 3_600_000 === 0 ? `${n / 3_600_000} h` : n % 60_000 === 0 ? `${n / 60_000} min` : `${n / 1000} s`);
const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0];
const safeOrigin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

if (isMain(import.meta)) {
  const stop = new AbortController();
  // The first Ctrl-C stops cleanly (the browser closed, a summary); a second one, at once.
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  process.exitCode = await synthetic(process.argv.slice(2), { signal: stop.signal });
}
