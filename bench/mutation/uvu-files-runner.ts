// A Stryker test runner for this project's uvu files: each test file is one "test", run as its own
// process (`uvu <dir> <file> --bail`, as the command runner did), in the group's order, the first
// to fail killing the mutant. What the command runner could not do: say which files reach which
// mutant. The dry run loads coverage-preload.mjs into every Node process a file starts, and each
// mutant then runs only the files that reached it, with a timeout from their own time.
// Why not @stryker-mutator/tap-runner: it reads TAP (uvu prints its own report), and it counts
// coverage in the test file's process only, while most of our tests reach the code through the
// CLIs and servers they start.
// The mutant is chosen by __STRYKER_ACTIVE_MUTANT__, which a test's child inherits with its env,
// as NODE_OPTIONS carries the preload: a child started with a made-up env loses both (a mutant
// only it reaches is neither counted as reached nor ever active), unless the test hands both on
// (testkit/cli.ts does). A mutant no file reached is NoCoverage, which counts as survived.
// Each file has its own limits in a mutant's run, from its own dry run (FILE_LIMIT): a mutant
// that hangs one part ends there, not at Stryker's limit for all the files it reached (3 minutes
// for the smoke's, where a busy loop starves a test's own 10 s guard).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTRUMENTER_CONSTANTS, type StrykerOptions } from '@stryker-mutator/api/core';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import { DryRunStatus, TestStatus, toMutantRunResult, type DryRunOptions, type DryRunResult, type MutantRunOptions, type MutantRunResult, type TestResult, type TestRunner } from '@stryker-mutator/api/test-runner';

const PRELOAD = fileURLToPath(new URL('coverage-preload.mjs', import.meta.url));
const UVU = fileURLToPath(new URL('../../node_modules/uvu/bin.js', import.meta.url));
/**
 * A file's limits in a mutant's run, each 3× its dry run's plus a margin: its time, plus 5 s, and
 * the CPU time of its processes, plus 3 s. A limit reached counts as a kill, so both err long.
 * The dry run has the machine to itself, a mutant shares it with --concurrency others (3 on 2
 * cores: a file took up to twice its dry-run time). CPU time does not grow with sharing, and most
 * of these files wait on servers and timers (the smoke's runner part: 10 s, 2 s of CPU), so a
 * mutant that spins is stopped by the CPU limit long before the other: 9 s instead of 35.
 */
const FILE_LIMIT = { factor: 3, plusMs: 5000, plusCpuMs: 3000 };
/** Where the CPU limit can be read: Linux's /proc (elsewhere only the time limit applies). */
const PROC = existsSync('/proc/self/stat');
/** The dry run's times per file, for the runners that did not do it: they share the sandbox. */
const DRY_TIMES = '.mutation-dry-run-times.json';
interface Spent {
  ms: number;
  cpuMs: number;
}

export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  properties: {
    uvuFiles: {
      type: 'object',
      description: 'The test files, fastest first; each runs as `uvu <dir> <file> --bail`.',
      properties: { files: { type: 'array', items: { type: 'string' } } },
      required: ['files'],
    },
  },
};

/** The uvu command for one file: --bail after the pattern (before it, uvu's parser takes the folder as its value). */
function uvuArgs(file: string): string[] {
  const at = file.lastIndexOf('/');
  return [UVU, file.slice(0, at), `^${file.slice(at + 1).replace(/\./g, '\\.')}$`, '--bail'];
}

interface FileRun {
  code: number | null;
  output: string;
  ms: number;
  cpuMs: number;
  /** Why it was stopped at a limit. */
  stopped?: string;
}

export class UvuFilesRunner implements TestRunner {
  static inject = tokens(commonTokens.options);
  private readonly files: string[];
  private running: ChildProcess | undefined;
  private dry: Record<string, Spent> | undefined;

  constructor(options: StrykerOptions) {
    this.files = (options as StrykerOptions & { uvuFiles: { files: string[] } }).uvuFiles.files;
  }

  capabilities() {
    // Every file is a new process: the mutant is active from its start.
    return { reloadEnvironment: true };
  }

  private run(file: string, env: NodeJS.ProcessEnv, limit?: Spent): Promise<FileRun> {
    const started = Date.now();
    return new Promise((resolve) => {
      // Its own process group, so a timeout ends the servers and CLIs it started too.
      const child = spawn(process.execPath, uvuArgs(file), { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      this.running = child;
      const cpu = groupCpu(child.pid!);
      let stopped: string | undefined;
      const stop = (why: string) => {
        stopped ??= why;
        killGroup(child.pid);
      };
      const timer = limit && setTimeout(() => stop(`${file} ran past its limit (${Math.round(limit.ms / 1000)} s)`), limit.ms);
      const sampler = setInterval(() => {
        const used = cpu();
        if (limit && used > limit.cpuMs) stop(`${file} used ${(used / 1000).toFixed(1)} s of CPU, past its limit (${(limit.cpuMs / 1000).toFixed(1)} s)`);
      }, 200);
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('error', (error) => resolve({ code: null, output: String(error), ms: Date.now() - started, cpuMs: 0 }));
      child.on('close', (code) => {
        clearTimeout(timer);
        clearInterval(sampler);
        this.running = undefined;
        resolve({ code, output, ms: Date.now() - started, cpuMs: cpu(), stopped });
      });
    });
  }

  private result(file: string, { code, output, ms }: FileRun): TestResult {
    const base = { id: file, name: file, fileName: file, timeSpentMs: ms };
    return code === 0 ? { ...base, status: TestStatus.Success } : { ...base, status: TestStatus.Failed, failureMessage: output.trim().split('\n').slice(-12).join('\n') || `exit ${code}` };
  }

  async dryRun(_options: DryRunOptions): Promise<DryRunResult> {
    const tests: TestResult[] = [];
    const spent: Record<string, Spent> = {};
    const perTest: Record<string, Record<string, number>> = {};
    const root = join(process.cwd(), '.mutation-coverage');
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --import=${PRELOAD}`.trim();
    for (const file of this.files) {
      const dir = join(root, String(tests.length));
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const run = await this.run(file, { ...process.env, NODE_OPTIONS: nodeOptions, CRUDDUR_MUTATION_COVERAGE_DIR: dir });
      const reached: Record<string, number> = {};
      for (const name of readdirSync(dir)) Object.assign(reached, JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, number>);
      perTest[file] = reached;
      spent[file] = { ms: run.ms, cpuMs: run.cpuMs };
      const result = this.result(file, run);
      tests.push(result);
      if (result.status !== TestStatus.Success) return { status: DryRunStatus.Error, errorMessage: `${file} failed with no mutant active:\n${result.status === TestStatus.Failed ? result.failureMessage : ''}` };
    }
    rmSync(root, { recursive: true, force: true });
    writeFileSync(DRY_TIMES, JSON.stringify(spent));
    return { status: DryRunStatus.Complete, tests, mutantCoverage: { static: {}, perTest } };
  }

  async mutantRun({ activeMutant, testFilter, disableBail }: MutantRunOptions): Promise<MutantRunResult> {
    const env = { ...process.env, [INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE]: activeMutant.id };
    // The group's order, fastest first, whatever order Stryker lists the files in.
    const files = testFilter ? this.files.filter((f) => testFilter.includes(f)) : this.files;
    this.dry ??= existsSync(DRY_TIMES) ? (JSON.parse(readFileSync(DRY_TIMES, 'utf8')) as Record<string, Spent>) : {};
    const tests: TestResult[] = [];
    for (const file of files) {
      const dry = this.dry[file];
      const limit = dry && { ms: dry.ms * FILE_LIMIT.factor + FILE_LIMIT.plusMs, cpuMs: dry.cpuMs * FILE_LIMIT.factor + FILE_LIMIT.plusCpuMs };
      const run = await this.run(file, env, limit);
      if (run.stopped) return toMutantRunResult({ status: DryRunStatus.Timeout, reason: run.stopped });
      const result = this.result(file, run);
      tests.push(result);
      if (result.status === TestStatus.Failed && !disableBail) break;
    }
    return toMutantRunResult({ status: DryRunStatus.Complete, tests });
  }

  async dispose() {
    killGroup(this.running?.pid);
  }
}

/**
 * The CPU time (ms) a process group has used so far, as Linux's /proc/<pid>/stat counts it (user
 * and system time, in clock ticks of 10 ms): each process's last count is kept, so one that has
 * exited still counts. Sampled, so a process that lives less than a sample is missed, in the dry
 * run and the mutant's alike. 0 where there is no /proc.
 */
function groupCpu(pgid: number): () => number {
  const last = new Map<string, number>();
  return () => {
    if (!PROC) return 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone between the listing and the read
      }
      // After the command's ")": state, ppid, pgrp, ... utime (14th field) and stime (15th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) last.set(pid, Number(fields[11]) + Number(fields[12]));
    }
    let ticks = 0;
    for (const t of last.values()) ticks += t;
    return ticks * 10;
  };
}

function killGroup(pid: number | undefined) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'uvu-files', UvuFilesRunner)];
