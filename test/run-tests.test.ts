// The runner's own verdicts: each case below is one way a suite can hide a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readSummary, runSuites, type Suite } from '../testkit/run-tests.ts';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';

const t = suite('npm test’s runner');

const HEAD = "import { test } from 'uvu';\nimport * as assert from 'uvu/assert';\n";
const pass = (name: string) => `test('${name}', () => assert.ok(true));\n`;
const failing = (name: string) => `test('${name}', () => assert.ok(false, 'planted'));\n`;

/** A throwaway suite inside the repository (so the files resolve uvu), removed afterwards. */
async function plant(files: Record<string, string>, extra: Partial<Suite> = {}, graceMs = 2000, jobs = 1) {
  // Inside the repository, not node_modules: Node strips types only outside node_modules.
  const root = mkdtempSync(join(REPO_ROOT, '.tmp-runner-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(root, 'suite', name, '..'), { recursive: true });
      writeFileSync(join(root, 'suite', name), text);
    }
    let printed = '';
    const totals = await runSuites([{ name: 'planted', dir: 'suite', ...extra }], { root, graceMs, jobs, echo: (s) => (printed += s) });
    return { ...totals, printed };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

t('a skipped test is not a failure, and a failing one is one failure each', async () => {
  const r = await plant({ 'a.test.ts': `${HEAD}${pass('one')}${pass('two')}${failing('three')}test.skip('four', () => {});\ntest.run();\n` });
  assert.equal([r.passed, r.failed, r.skipped], [2, 1, 1]);
  // Named in the list printed last, where a CI log cut to its tail still shows it.
  assert.equal(r.failures, ['suite/a.test.ts: "three"']);
});

t('a file that throws at import is a failure naming it, and the other files still count', async () => {
  const r = await plant({ 'a.test.ts': `${HEAD}throw new Error('boom at import');\n`, 'b.test.ts': `${HEAD}${pass('one')}${pass('two')}test.run();\n` });
  assert.equal([r.passed, r.failed], [2, 1]);
  assert.match(r.problems[0]!, /a\.test\.ts: crashed before reporting \(exit 1\).*boom at import/);
});

t('a stray .only is a failure, and the asserts it skips are not lost silently', async () => {
  const r = await plant({ 'a.test.ts': `${HEAD}test.only('focus', () => assert.ok(true));\n${failing('hidden')}${failing('hidden too')}test.run();\n` });
  assert.equal([r.passed, r.failed, r.skipped], [1, 1, 2]);
  assert.match(r.problems[0]!, /a\.test\.ts: a stray \.only \(test\.only\(\)/);
});

t('a summary-like line printed by a test does not change the totals', async () => {
  const fake = 'console.log("  Total:     99\\n  Passed:    99\\n  Skipped:   0\\n  Duration:  1ms");';
  const r = await plant({ 'a.test.ts': `${HEAD}test('prints', () => { ${fake} });\n${failing('fails')}test.run();\n` });
  assert.equal([r.passed, r.failed], [1, 1]);
});

t('a failing before hook fails every test of its suite', async () => {
  const r = await plant({ 'a.test.ts': `${HEAD}test.before(() => { throw new Error('no Chromium'); });\n${pass('one')}${pass('two')}test.run();\n` });
  assert.equal([r.passed, r.failed], [0, 2]);
});

t('a file that never finishes is killed at its time limit, and one that never exits after its summary is a failure', async () => {
  const never = await plant({ 'a.test.ts': `${HEAD}test('waits forever', () => new Promise(() => setInterval(() => {}, 1000)));\ntest.run();\n` }, { fileTimeoutMs: 3000 });
  assert.is(never.failed, 1);
  assert.match(never.problems[0]!, /a\.test\.ts: still running after 3 s, killed/);
  const lingering = await plant({ 'a.test.ts': `${HEAD}test('leaves a timer', () => { setInterval(() => {}, 1000); });\ntest.run();\n` }, {}, 1000);
  assert.equal([lingering.passed, lingering.failed], [1, 1]);
  assert.match(lingering.problems[0]!, /did not exit 1 s after its summary/);
});

t('a suite with no test file, or whose folder is missing, is a failure', async () => {
  assert.match((await plant({ 'README.md': 'no tests' })).problems[0]!, /no test file in suite/);
  const r = await runSuites([{ name: 'ghost', dir: 'no/such/dir' }], { echo: () => {} });
  assert.equal([r.failed, r.problems], [1, ['ghost: its folder no/such/dir does not exist']]);
});

t('what a test file started is ended with it, even when the test failed and left it running', async () => {
  const pidFile = join(mkdtempSync(join(tmpdir(), 'runner-')), 'pid');
  const text = `${HEAD}import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\ntest('starts a server and fails', () => { const c = spawn('sleep', ['300'], { stdio: 'ignore' }); writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); c.unref(); assert.ok(false, 'planted'); });\ntest.run();\n`;
  const r = await plant({ 'a.test.ts': text });
  assert.equal([r.passed, r.failed], [0, 1]);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  // Gone, or a zombie waiting for init to reap it (/proc/<pid>/stat's state Z): either way not running.
  const running = () => existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  for (let i = 0; i < 30 && running(); i++) await new Promise((done) => setTimeout(done, 100));
  assert.not.ok(running(), `sleep (pid ${pid}) is still running`);
});

t('a suite whose tool is missing is one failure naming it and how to get it, and none of its files run', async () => {
  let printed = '';
  const root = mkdtempSync(join(REPO_ROOT, '.tmp-runner-'));
  try {
    mkdirSync(join(root, 'suite'));
    writeFileSync(join(root, 'suite', 'a.test.ts'), `${HEAD}${pass('one')}test.run();\n`);
    const missing = new Map([['chromium', 'run: sudo apt-get install chromium']] as const);
    const r = await runSuites([{ name: 'browser', dir: 'suite', needs: ['chromium'] }, { name: 'other', dir: 'suite' }], { root, missing, echo: (s) => (printed += s) });
    assert.equal([r.passed, r.failed], [1, 1], 'the suite that needs nothing still runs');
    assert.equal(r.problems, ['browser: not run: chromium is missing (run: sudo apt-get install chromium)']);
    assert.not.match(printed, /did not exit/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

t('two files at a time: both counted, each one’s output printed whole, in about the time of one', async () => {
  const slow = (name: string, ok: boolean) => `${HEAD}test('${name}', async () => { console.log('start ${name}'); await new Promise((r) => setTimeout(r, 1500)); console.log('end ${name}'); assert.ok(${ok}); });\ntest.run();\n`;
  const started = Date.now();
  const r = await plant({ 'a.test.ts': slow('a', true), 'b.test.ts': slow('b', false) }, {}, 2000, 2);
  assert.equal([r.passed, r.failed], [1, 1]);
  assert.ok(Date.now() - started < 2900, `took ${Date.now() - started} ms for two files of 1.5 s each`);
  for (const [f, other] of [['a', 'b'], ['b', 'a']] as const) {
    const at = r.printed.search(new RegExp(`── planted: suite/${f}\\.test\\.ts \\([\\d.]+ s\\)`));
    assert.ok(at >= 0, `a header for ${f}`);
    const block = r.printed.slice(at, r.printed.indexOf(`end ${f}`) + 5);
    assert.ok(block.includes(`start ${f}`), `${f}'s lines follow its header`);
    assert.not.ok(block.includes(`start ${other}`), `no line of ${other} inside ${f}'s`);
  }
});

t('the summary read is uvu’s last one', () => {
  const out = '  Total:     9\n  Passed:    9\n  Skipped:   0\n  Duration:  1ms\n\x1b[31m  Total:     3\x1b[39m\n  Passed:    1\n  Skipped:   2\n  Duration:  2ms\n';
  assert.equal(readSummary(out), { total: 3, passed: 1, skipped: 2 });
  assert.is(readSummary('nothing'), undefined);
});

t('an unknown suite name is a failure, exit code 1', async () => {
  // As `npm test` runs it: node testkit/run-tests.ts, not through the launcher.
  const { status, stdout } = spawnSync(process.execPath, ['testkit/run-tests.ts', 'no-such-suite'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH }, encoding: 'utf8' });
  assert.is(status, 1);
  assert.match(stdout, /no suite is named "no-such-suite"/);
  assert.match(stdout, /^0 passed, 1 failed$/m);
});

t.run();
