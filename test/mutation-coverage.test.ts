// npm run mutate runs each mutant only against the test files that reached it, as the dry run's
// coverage preload (bench/mutation/coverage-preload.mjs) recorded it. A mutant whose process was
// not recorded is never run, and counts as survived: these are the ways a process could be missed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { underMutation } from '../testkit/cli.ts';

const PRELOAD = new URL('../bench/mutation/coverage-preload.mjs', import.meta.url).pathname;

/** What Stryker's instrumented code does when it reaches mutants (its header's cover()), then `then`. */
const reach = (ids: string[], then: string) =>
  `globalThis.__stryker__ = { mutantCoverage: { static: ${JSON.stringify(Object.fromEntries(ids.map((id) => [id, 1])))}, perTest: {} } }; ${then}`;

function node(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve) => spawn(process.execPath, ['-e', script], { env, stdio: 'ignore' }).on('close', () => resolve()));
}

const reached = (dir: string) => Object.assign({}, ...readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, number>));

test('every process of a test file tells what it reached: one that exits, a child that inherits NODE_OPTIONS, one killed by a signal', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutation-coverage-'));
  const env = { PATH: process.env.PATH, NODE_OPTIONS: `--import=${PRELOAD}`, CRUDDUR_MUTATION_COVERAGE_DIR: dir };
  // The parent reaches 1, starts a child that reaches 2 and is killed by SIGKILL 500 ms later
  // (no exit handler runs), then exits.
  const child = reach(['2'], 'setInterval(() => {}, 1000)');
  await node(reach(['1'], `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'ignore' }); setTimeout(() => c.kill('SIGKILL'), 500); c.on('close', () => process.exit(0));`), env);
  assert.equal(Object.keys(reached(dir)).sort(), ['1', '2']);
});

test('a script a test starts with a made-up env still gets the mutant and the preload (testkit/cli.ts)', () => {
  const saved = { ...process.env };
  try {
    Object.assign(process.env, { __STRYKER_ACTIVE_MUTANT__: '7', NODE_OPTIONS: `--import=${PRELOAD}`, CRUDDUR_MUTATION_COVERAGE_DIR: '/tmp/x' });
    assert.equal(underMutation(), { __STRYKER_ACTIVE_MUTANT__: '7', CRUDDUR_MUTATION_COVERAGE_DIR: '/tmp/x', NODE_OPTIONS: `--import=${PRELOAD}` });
    // Outside a mutation run nothing is added: a test's own NODE_OPTIONS is not handed on.
    delete process.env.__STRYKER_ACTIVE_MUTANT__;
    delete process.env.CRUDDUR_MUTATION_COVERAGE_DIR;
    assert.equal(underMutation(), {});
  } finally {
    process.env = saved;
  }
});

test.run();
