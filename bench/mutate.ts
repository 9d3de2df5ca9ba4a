// npm run mutate: Stryker Mutator over the code whose verdicts students read (the doctor's
// checks, main and runner, the smoke's main, hops, preflight, runner and confirmation, setup's saving,
// the workspace start and its verdict, the X-Ray filter and segments, Honeycomb's client and
// board, the secrets, settings and .env libraries), each mutant against the group's test files
// that reach it (bench/mutation/uvu-files-runner.ts, a Stryker runner for uvu files). Prints,
// per file, mutants killed and survived, the score, and each survivor (file:line, the
// mutation). A benchmark, not a test: it takes long.
//   npm run mutate                     every group
//   npm run mutate -- lib doctor-core  only these groups
//   npm run mutate -- --changed        only the groups whose files or tests changed since their
//                                      last run (the others' last reports are summarised again);
//                                      within a group whose tests did not change, Stryker's
//                                      incremental mode retests only the mutants of changed code
//   npm run mutate -- --survivors      only the last run's survivors, against the tests as they are
//                                      now (its killed mutants stay killed): after adding tests to
//                                      code that did not change, minutes where a full run takes an hour
//   npm run mutate -- --concurrency 4  test runners at once (default 3)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'reports', 'mutation');
/**
 * Test runners at once (--concurrency). Most tests wait on servers and timers (the smoke's units
 * use 21 % of a core alone), but instrumented they take about twice that, and 4 runners kept
 * both cores full (load 5-6) during the smoke's group: 3 on this 2-core machine.
 */
const CONCURRENCY = 3;

interface Group {
  name: string;
  mutate: string[];
  /** Test files, run one after another; the first to fail kills the mutant. */
  tests: string[];
}

// Each group's tests: every file that exercises its code, fastest first (the first failure kills a
// mutant, so a survivor costs the whole list). verdicts/boundaries.test.ts defends verdicts of all.
// The smoke's leaves out cli.test.ts and remote.test.ts (76 s, main.ts's flags and the remote
// hops end to end, which one-process/ and hops.test.ts cover hop by hop): its score is then
// a lower bound, at a third of the time per survivor and per hung mutant.
const BOUNDARIES = 'scripts/test/verdicts/boundaries.test.ts';
const XRAY_TABLE = 'scripts/test/verdicts/xray-filters.test.ts';
const CANARY = 'scripts/test/verdicts/start-canary.test.ts';
// The smoke in one process, a file per part, fastest first: hop.ts's helpers (1 s), each hop
// (2 s), the confirmation at each destination (3-4 s each, waiting on deadlines), the runner
// (10 s). Coverage picks the parts that reach a mutant, so a mutant of X-Ray's confirmation waits
// on X-Ray's deadlines only, and most of the hops' mutants on none.
// The workspace start in one process, a file per part, fastest first; the stack down last (its
// canary waits on the OTLP exporter's retries).
const START_UNITS = ['verdicts', 'hosts', 'before-stack', 'with-key', 'no-key', 'stack-down'].map((part) => `scripts/test/verdicts/start-units/${part}.test.ts`);
const ONE_PROCESS = ['helpers', 'each-hop', 'confirm-logs', 'confirm-honeycomb', 'confirm-poller', 'confirm-xray', 'runner'].map((part) => `scripts/test/smoke/one-process/${part}.test.ts`);
const GROUPS: Group[] = [
  { name: 'lib', mutate: ['scripts/lib/terminal/secrets.ts', 'scripts/lib/workspace/settings.ts', 'scripts/lib/workspace/dotenv-file.ts'], tests: ['scripts/test/lib/terminal/secrets.test.ts', 'scripts/test/lib/workspace/settings.test.ts', 'scripts/test/setup/dotenv.test.ts'] },
  { name: 'doctor-workspace', mutate: ['scripts/doctor/checks/workspace-secrets.ts', 'scripts/doctor/checks/saved-urls.ts'], tests: ['scripts/test/doctor/checks/saved-urls.test.ts', 'scripts/test/doctor/checks/workspace-secrets.test.ts', BOUNDARIES] },
  { name: 'doctor-honeycomb', mutate: ['scripts/doctor/checks/honeycomb-key.ts', 'scripts/doctor/checks/honeycomb-auth.ts', 'scripts/doctor/checks/honeycomb-dataset.ts', 'scripts/doctor/checks/honeycomb-board.ts', 'scripts/doctor/checks/service-names.ts'], tests: ['scripts/test/doctor/checks/honeycomb-boundaries.test.ts', 'scripts/test/doctor/checks/honeycomb.test.ts', 'scripts/test/doctor/checks/service-names.test.ts', 'scripts/test/honeycomb-board.test.ts', BOUNDARIES, 'scripts/test/lib/honeycomb/permissions.test.ts'] },
  { name: 'doctor-aws', mutate: ['scripts/doctor/checks/aws-credentials.ts', 'scripts/doctor/checks/xray-group.ts', 'scripts/doctor/checks/xray-traces.ts', 'scripts/doctor/checks/cloudwatch-logs.ts'], tests: ['scripts/test/doctor/checks/aws-boundaries.test.ts', 'scripts/test/doctor/checks/cloudwatch-logs.test.ts', 'scripts/test/doctor/one-round-trip.test.ts', 'scripts/test/doctor/checks/aws.test.ts', BOUNDARIES, 'scripts/test/aws-paging.test.ts'] },
  { name: 'doctor-stack', mutate: ['scripts/doctor/checks/stack.ts'], tests: ['scripts/test/doctor/checks/stack-boundaries.test.ts', 'scripts/test/doctor/checks/stack.test.ts', 'scripts/test/doctor/checks/one-origin.test.ts'] },
  { name: 'setup', mutate: ['scripts/setup/main.ts'], tests: ['scripts/test/setup/boundaries.test.ts', 'scripts/test/setup/main.test.ts', BOUNDARIES] },
  { name: 'smoke', mutate: ['scripts/smoke/hops/!(browser).ts', 'scripts/smoke/runner.ts', 'scripts/smoke/confirm.ts', 'scripts/smoke/marker.ts'], tests: ['scripts/test/smoke/confirm-units.test.ts', ...ONE_PROCESS, BOUNDARIES, XRAY_TABLE, 'scripts/test/smoke/hops.test.ts'] },
  // The browser hop: its own code in the units first (where it runs, its likely causes, a browser
  // that will not start), then the journey in Chromium against the real collector and the fakes.
  { name: 'smoke-browser', mutate: ['scripts/smoke/hops/browser.ts'], tests: [...ONE_PROCESS, 'scripts/test/smoke/browser-hop.test.ts'] },
  // What every hop knows before it sends (the key's environment, the group's filter): its own group,
  // so it is measured without the hops' 80 minutes.
  { name: 'smoke-preflight', mutate: ['scripts/smoke/preflight.ts'], tests: ['scripts/test/smoke/preflight.test.ts', BOUNDARIES, ...ONE_PROCESS] },
  // The smoke's command: its options, its --json and what it prints last, which only the command line reaches.
  { name: 'smoke-main', mutate: ['scripts/smoke/main.ts'], tests: ['scripts/test/smoke/main-units.test.ts', BOUNDARIES, 'scripts/test/smoke/cli.test.ts'] },
  // The verdicts' shared ground: the X-Ray filter and segments, Honeycomb's client and the board.
  { name: 'xray-lib', mutate: ['scripts/lib/aws/xray-filter.ts', 'scripts/lib/aws/xray-segments.ts'], tests: ['scripts/test/lib/aws/xray-filter.test.ts', XRAY_TABLE, 'scripts/test/smoke/confirm-units.test.ts', 'scripts/test/doctor/checks/aws-boundaries.test.ts', ...ONE_PROCESS] },
  // Honeycomb's client and the board, each its own group so a change to one reruns only its mutants;
  // api.test.ts (1 s, in-process) first: most of the client's mutants die there.
  { name: 'honeycomb-api', mutate: ['scripts/lib/honeycomb/api.ts'], tests: ['scripts/test/lib/honeycomb/api.test.ts', 'scripts/test/doctor/checks/honeycomb-boundaries.test.ts', 'scripts/test/honeycomb-board.test.ts', 'scripts/test/fault-matrix.test.ts', 'scripts/test/lib/honeycomb/permissions.test.ts', 'scripts/test/output-safety.test.ts'] },
  { name: 'honeycomb-board', mutate: ['scripts/lib/honeycomb/board.ts'], tests: ['scripts/test/honeycomb-board.test.ts', 'test/local-board.test.ts', 'scripts/test/lib/honeycomb/permissions.test.ts'] },
  { name: 'doctor-core', mutate: ['scripts/doctor/main.ts', 'scripts/doctor/runner.ts'], tests: ['scripts/test/doctor/runner.test.ts', 'scripts/test/doctor/main.test.ts', BOUNDARIES] },
  { name: 'start', mutate: ['scripts/workspace-start.ts', 'scripts/lib/workspace/start-verdict.ts'], tests: [...START_UNITS, CANARY] },
];

/** What a group's last run saw: a hash of its mutated files and one of its tests. */
interface Seen {
  sources: string;
  tests: string;
}
const hashOf = (patterns: string[]) => {
  const h = createHash('sha256');
  for (const file of patterns.flatMap((p) => globSync(p, { cwd: ROOT })).sort()) h.update(file).update('\0').update(readFileSync(join(ROOT, file))).update('\0');
  return h.digest('hex');
};
const seenNow = (group: Group): Seen => ({ sources: hashOf(group.mutate), tests: hashOf(group.tests) });
const seenFile = (group: Group) => join(OUT, `${group.name}.seen.json`);
const seenLast = (group: Group): Seen | undefined => (existsSync(seenFile(group)) ? (JSON.parse(readFileSync(seenFile(group), 'utf8')) as Seen) : undefined);

/** The last report's survivors as Stryker mutation ranges (file:line:column-line:column, columns from 0). */
function survivorRanges(group: Group): string[] {
  const report = JSON.parse(readFileSync(join(OUT, `${group.name}.json`), 'utf8')) as Report;
  return Object.entries(report.files).flatMap(([path, f]) =>
    f.mutants.filter(counted).filter((m) => !KILLED.has(m.status)).map(({ location: { start, end } }) => `${path}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`),
  );
}

/** The survivors' new statuses written over the last report: the same mutant is the same place, mutator and replacement. */
function mergeSurvivors(group: Group) {
  const file = join(OUT, `${group.name}.json`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const rerun = JSON.parse(readFileSync(join(OUT, `${group.name}.survivors.json`), 'utf8')) as Report;
  const key = (m: Mutant) => `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement ?? ''}`;
  for (const [path, f] of Object.entries(report.files)) {
    const again = new Map((rerun.files[path]?.mutants ?? []).map((m) => [key(m), m]));
    f.mutants = f.mutants.map((m) => again.get(key(m)) ?? m);
  }
  writeFileSync(file, JSON.stringify(report));
}

function stryker(group: Group, last: Seen | undefined, now: Seen, survivors?: string[]): Promise<number | null> {
  mkdirSync(OUT, { recursive: true });
  const config = join(OUT, `${group.name}${survivors ? '.survivors' : ''}.stryker.json`);
  writeFileSync(
    config,
    JSON.stringify(
      {
        // Each mutant runs the group's files that reached it in the dry run, in the group's order,
        // stopping at the first failure: one failing assertion kills it (bench/mutation/).
        testRunner: 'uvu-files',
        plugins: [join(ROOT, 'bench/mutation/uvu-files-runner.ts')],
        uvuFiles: { files: group.tests },
        mutate: survivors ?? group.mutate,
        coverageAnalysis: 'perTest',
        // The dry run runs every file once, one after another, with coverage.
        dryRunTimeoutMinutes: 15,
        concurrency,
        // A mutant's time limit is this factor times its files' time in the dry run (alone on the
        // machine), plus 20 s: with several runners sharing 2 cores a file can take twice as long,
        // and a limit it passed would count as a kill.
        timeoutFactor: 3,
        timeoutMS: 20_000,
        reporters: ['json', 'progress'],
        jsonReporter: { fileName: join(OUT, `${group.name}${survivors ? '.survivors' : ''}.json`) },
        // Node strips the types; Stryker's switches are plain expressions it keeps.
        disableTypeChecks: 'scripts/**/*.ts',
        // Its tsconfig rewriting calls TypeScript's JS API, which TypeScript 7 (native) has not;
        // Node never reads a tsconfig, so there is none to rewrite.
        tsconfigFile: 'no-tsconfig-for-stryker.json',
        tempDirName: join(ROOT, '.stryker-tmp'),
        ignorePatterns: ['reports', '.cruddur', 'frontend-react-js/dist', 'bench/naive-peer/node_modules', 'bench/honeycomb-web-peer/node_modules', 'docs', 'frontend-react-js/test/screenshots'],
        cleanTempDir: 'always',
        // Mutant by mutant, results of unchanged code are reused; once a test changed, every
        // mutant runs again: Stryker diffs the test files, not the fakes and helpers they import.
        incremental: !survivors,
        incrementalFile: join(OUT, `${group.name}.incremental.json`),
        force: !last || last.tests !== now.tests,
      },
      null,
      2,
    ),
  );
  return new Promise((resolve) => {
    // No Docker engine for the mutants: one that drops setup's env option found the real docker
    // on PATH and recreated a collector from the sandbox's compose file, which then held the
    // stack's ports. The tests need only `docker compose config`, which asks no engine.
    // No npm either: a start mutant that dropped its env option ran the real npm ci in a test's
    // checkout, whose node_modules was the repository's (linked), and emptied it. The tests need
    // no npm; the one first on PATH here refuses.
    const noNpm = join(OUT, 'no-npm');
    mkdirSync(noNpm, { recursive: true });
    writeFileSync(join(noNpm, 'npm'), '#!/bin/sh\necho "npm run mutate: no npm for the mutants ($*)" >&2\nexit 1\n', { mode: 0o755 });
    const env = { ...process.env, PATH: `${noNpm}:${process.env.PATH}`, DOCKER_HOST: 'unix:///nonexistent/npm-run-mutate-has-no-docker-engine.sock' };
    const child = spawn(join(ROOT, 'node_modules/.bin/stryker'), ['run', config], { cwd: ROOT, stdio: 'inherit', env });
    child.on('close', (code) => {
      if (code === 0 && survivors) mergeSurvivors(group);
      if (code === 0) writeFileSync(seenFile(group), `${JSON.stringify(now)}\n`);
      resolve(code);
    });
  });
}

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const KILLED = new Set(['Killed', 'Timeout']);
const counted = (m: Mutant) => m.status !== 'Ignored' && m.status !== 'CompileError';

function summarize(group: Group): { killed: number; total: number } {
  const file = join(OUT, `${group.name}.json`);
  if (!existsSync(file)) {
    console.log(`${group.name}: no report (Stryker did not finish)`);
    return { killed: 0, total: 0 };
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  let killed = 0;
  let total = 0;
  for (const [path, f] of Object.entries(report.files)) {
    const scored = f.mutants.filter(counted);
    const k = scored.filter((m) => KILLED.has(m.status)).length;
    killed += k;
    total += scored.length;
    console.log(`${path.padEnd(48)} ${String(k).padStart(4)} killed ${String(scored.length - k).padStart(4)} survived  ${scored.length ? ((100 * k) / scored.length).toFixed(1) : '-'} %`);
    for (const m of scored.filter((m) => !KILLED.has(m.status))) {
      const line = f.source.split('\n')[m.location.start.line - 1]?.trim().slice(0, 90);
      console.log(`    ${m.status} ${path}:${m.location.start.line} ${m.mutatorName}${m.replacement ? ` → ${m.replacement.replace(/\s+/g, ' ').slice(0, 60)}` : ''}   | ${line}`);
    }
  }
  return { killed, total };
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { changed: { type: 'boolean' }, survivors: { type: 'boolean' }, concurrency: { type: 'string' } } });
} catch (err) {
  console.error(`${(err as Error).message}\nusage: npm run mutate -- [--changed | --survivors] [--concurrency N] [group ...]`);
  process.exit(1);
}
const { changed: changedOnly, survivors: survivorsOnly } = parsed.values;
const wanted = parsed.positionals;
const concurrency = Number(parsed.values.concurrency ?? CONCURRENCY);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`--concurrency wants a whole number of test runners, 1 or more; it got "${parsed.values.concurrency}"`);
  process.exit(1);
}
const groups = wanted.length ? GROUPS.filter((g) => wanted.includes(g.name)) : GROUPS;
const unknown = wanted.filter((w) => !GROUPS.some((g) => g.name === w));
if (unknown.length) {
  console.error(`no group ${unknown.join(', ')}; there are: ${GROUPS.map((g) => g.name).join(', ')}`);
  process.exit(1);
}
const started = Date.now();
for (const g of groups) {
  const last = seenLast(g);
  const now = seenNow(g);
  if (changedOnly && last && last.sources === now.sources && last.tests === now.tests && existsSync(join(OUT, `${g.name}.json`))) {
    console.log(`\n== ${g.name}: unchanged since its last run, its report is reused`);
    continue;
  }
  if (survivorsOnly) {
    // The ranges are the last report's places: only valid while the code is the same.
    if (last && last.sources === now.sources && existsSync(join(OUT, `${g.name}.json`))) {
      const ranges = survivorRanges(g);
      console.log(`\n== ${g.name}: the last run's ${ranges.length} survivors, against the tests as they are now`);
      if (ranges.length) await stryker(g, last, now, ranges);
      continue;
    }
    console.log(`\n== ${g.name}: its code changed since its last run (or it has none): every mutant`);
  } else console.log(`\n== ${g.name}: ${g.mutate.join(', ')}`);
  await stryker(g, last, now);
}
console.log('\n== mutants killed (a timeout counts as killed), per file');
let killed = 0;
let total = 0;
for (const g of groups) {
  const s = summarize(g);
  killed += s.killed;
  total += s.total;
}
console.log(`\n${killed} of ${total} mutants killed: ${total ? ((100 * killed) / total).toFixed(1) : '-'} % (${((Date.now() - started) / 60_000).toFixed(0)} min)`);
