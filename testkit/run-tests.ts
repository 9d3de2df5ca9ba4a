// npm test: runs every suite with uvu, one process per test file, then prints the totals as
// one plain line, "N passed, N failed", which CI reads (uvu's own summary is per process).
// Whatever keeps a test from reporting is a failure with its cause: a crash, an import that
// throws, a stray .only, a file that hangs or never exits, an unknown suite name.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools, type Tool } from './test-tools.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const UVU = fileURLToPath(new URL('../node_modules/uvu/bin.js', import.meta.url));

export interface Suite {
  name: string;
  dir: string;
  /** Only when named: the container lane takes minutes of image builds. */
  onlyWhenNamed?: boolean;
  /** Folders under `dir` that belong to another suite. */
  ignore?: string[];
  /** Longest one file may run, start to exit. */
  fileTimeoutMs?: number;
  /** What it needs beyond npm's packages (testkit/test-tools.ts gets them first). */
  needs?: Tool[];
}

export const SUITES: Suite[] = [
  { name: 'backend-flask-ts', dir: 'backend-flask-ts/test' },
  { name: 'scripts', dir: 'scripts/test', needs: ['chromium', 'compose', 'otelcol'] },
  { name: 'workspace config', dir: 'test', ignore: ['stack'], needs: ['chromium', 'compose', 'otelcol'] },
  { name: 'frontend-react-js', dir: 'frontend-react-js/test', needs: ['chromium', 'compose', 'otelcol'] },
  { name: 'stack', dir: 'test/stack', onlyWhenNamed: true, fileTimeoutMs: 40 * 60_000, needs: ['chromium', 'compose', 'otelcol'] },
];

const DEFAULT_FILE_TIMEOUT_MS = 4 * 60_000;
// A file that has printed its summary but does not exit left a server or browser running.
const EXIT_GRACE_MS = 15_000;

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  /** Each failure the runner itself found (not an assertion), with its cause. */
  problems: string[];
  /** Each failed test, as uvu names it (file, suite and test), for the list at the end. */
  failures: string[];
}

/** The tests uvu reported as failed in a file's output: its " FAIL  suite "name"" lines. */
export function failedTests(output: string): string[] {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  return [...plain.matchAll(/^\s*FAIL\s+(.+)$/gm)].map((m) => m[1]!.trim());
}

/** Test files of a suite, in a stable order. */
export function testFiles(suite: Suite, root = ROOT): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!suite.ignore?.includes(relative(join(root, suite.dir), path))) walk(path);
      } else if (entry.name.endsWith('.test.ts')) found.push(path);
    }
  };
  walk(join(root, suite.dir));
  return found;
}

// uvu's summary, from its source (uvu/dist/index.mjs exec()): Total counts the tests that ran
// (the .only ones when there are any), Passed those that passed, Skipped is separate.
const SUMMARY = /Total:\s+(\d+)\s+Passed:\s+(\d+)\s+Skipped:\s+(\d+)\s+Duration:/g;

/** The counts of the last summary uvu printed, or undefined when it printed none. */
export function readSummary(output: string): { total: number; passed: number; skipped: number } | undefined {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const last = [...plain.matchAll(SUMMARY)].at(-1);
  return last ? { total: Number(last[1]), passed: Number(last[2]), skipped: Number(last[3]) } : undefined;
}

function runFile(file: string, root: string, timeoutMs: number, graceMs: number, echo: (s: string) => void) {
  return new Promise<{ out: string; code: number | null; hung: boolean; timedOut: boolean }>((resolve) => {
    // Its own process group: whatever it started (a backend, Vite, a collector, a browser) is
    // ended with it, even when a failing test left it running.
    const child = spawn(process.execPath, [UVU, relative(root, file).replace(/[^/]+$/, ''), `^${escape(file.split('/').at(-1)!)}$`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child.pid!);
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is already gone
      }
    };
    let out = '';
    let hung = false;
    let timedOut = false;
    let grace: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => {
      timedOut = true;
      killGroup('SIGKILL');
    }, timeoutMs);
    const take = (chunk: Buffer) => {
      echo(chunk.toString());
      out += chunk.toString();
      if (!grace && /Duration:/.test(out)) {
        grace = setTimeout(() => {
          hung = true;
          killGroup('SIGKILL');
        }, graceMs);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => {
      clearTimeout(limit);
      clearTimeout(grace);
      killGroup('SIGKILL');
      running.delete(child.pid!);
      resolve({ out, code, hung, timedOut });
    });
  });
}

// The files running now, so an interrupted npm test ends their process groups too.
const running = new Set<number>();
process.once('SIGINT', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  process.exit(130);
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs each file of each suite in its own process and adds up what really happened. */
export async function runSuites(suites: Suite[], opts: { root?: string; echo?: (s: string) => void; graceMs?: number; missing?: Map<Tool, string>; jobs?: number } = {}): Promise<Totals> {
  const root = opts.root ?? ROOT;
  const graceMs = opts.graceMs ?? EXIT_GRACE_MS;
  const echo = opts.echo ?? ((s: string) => process.stdout.write(s));
  const totals: Totals = { passed: 0, failed: 0, skipped: 0, problems: [], failures: [] };
  const problem = (what: string) => {
    totals.failed += 1;
    totals.problems.push(what);
    echo(`\n✘ ${what}\n`);
  };
  // Each suite's files, checked; then all of them run, `jobs` at a time (each its own process
  // and process group). A file's output is printed whole when it ends, so runs do not interleave.
  const queue: { suite: Suite; file: string }[] = [];
  for (const suite of suites) {
    if (!existsSync(join(root, suite.dir))) {
      problem(`${suite.name}: its folder ${suite.dir} does not exist`);
      continue;
    }
    const lacking = (suite.needs ?? []).filter((t) => opts.missing?.has(t));
    if (lacking.length) {
      problem(`${suite.name}: not run: ${lacking.map((t) => `${t} is missing (${opts.missing!.get(t)})`).join('; ')}`);
      continue;
    }
    const files = testFiles(suite, root);
    if (!files.length) problem(`${suite.name}: no test file in ${suite.dir}`);
    for (const file of files) queue.push({ suite, file });
  }
  const jobs = Math.max(1, opts.jobs ?? 1);
  const one = async ({ suite, file }: { suite: Suite; file: string }) => {
    const name = relative(root, file);
    // uvu runs only the .only tests of a file that has one and counts the rest as skipped.
    const only = readFileSync(file, 'utf8').match(/^\s*[\w$]+\.only\(/m);
    if (only) problem(`${name}: a stray .only (${only[0].trim()}) runs one test and skips the rest`);
    let buffered = '';
    const started = Date.now();
    const r = await runFile(file, root, suite.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS, graceMs, jobs === 1 ? echo : (chunk) => (buffered += chunk));
    if (jobs > 1) echo(`\n── ${suite.name}: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n${buffered}`);
    const summary = readSummary(r.out);
    if (r.timedOut) {
      problem(`${name}: still running after ${(suite.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS) / 1000} s, killed`);
      if (summary) totals.passed += summary.passed;
      return;
    }
    if (!summary) {
      const said = r.out.trim().split('\n').filter((l) => /Error|error:/.test(l))[0]?.trim();
      problem(`${name}: crashed before reporting (exit ${r.code})${said ? `: ${said.slice(0, 200)}` : ''}`);
      return;
    }
    totals.passed += summary.passed;
    totals.skipped += summary.skipped;
    totals.failed += summary.total - summary.passed;
    if (summary.total > summary.passed) totals.failures.push(...failedTests(r.out).map((t) => `${name}: ${t}`));
    if (summary.total === 0) problem(`${name}: ran no test`);
    if (r.hung) problem(`${name}: did not exit ${graceMs / 1000} s after its summary (a test left a server or browser running)`);
    else if (r.code !== 0 && summary.total === summary.passed) problem(`${name}: exited with code ${r.code} after its tests passed`);
  };
  let next = 0;
  let lastSuite: Suite | undefined;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < queue.length) {
        const item = queue[next++]!;
        if (jobs === 1 && item.suite !== lastSuite) echo(`\n== ${item.suite.name}\n`);
        lastSuite = item.suite;
        await one(item);
      }
    }),
  );
  return totals;
}

if (import.meta.main) {
  const named = process.argv.slice(2);
  const unknown = named.filter((n) => !SUITES.some((s) => s.name === n));
  const chosen = named.length ? SUITES.filter((s) => named.includes(s.name)) : SUITES.filter((s) => !s.onlyWhenNamed);
  const needs = [...new Set(chosen.flatMap((s) => s.needs ?? []))];
  const missing = new Map<Tool, string>();
  if (needs.length) {
    console.log(`== set-up: ${needs.join(', ')}`);
    const started = Date.now();
    for (const [tool, why] of await ensureTools(needs)) missing.set(tool, why);
    console.log(`  set-up took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // One file more than the cores at a time (at most 3), as most of a file's time is waiting on
  // its servers and browser: on 2 cores three took 282 s where two took 317 s (436 tests). The
  // container lane's one file, and CRUDDUR_TEST_JOBS=1, run alone with their output as it comes.
  const jobs = Number(process.env.CRUDDUR_TEST_JOBS) || (chosen.some((s) => s.onlyWhenNamed) ? 1 : Math.min(3, availableParallelism() + 1));
  const totals = await runSuites(chosen, { missing, jobs });
  for (const n of unknown) {
    totals.failed += 1;
    totals.problems.push(`no suite is named "${n}" (there are: ${SUITES.map((s) => s.name).join(', ')})`);
  }
  // Last before the totals, where a CI log cut to its tail still shows them.
  if (totals.failures.length) console.log(`\nFailed:\n${totals.failures.map((f) => `  ✘ ${f}`).join('\n')}`);
  if (totals.problems.length) console.log(`\nNot counted by uvu:\n${totals.problems.map((p) => `  ✘ ${p}`).join('\n')}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.failed > 0 ? 1 : 0);
}
