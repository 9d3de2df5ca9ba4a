// The Dev Container lifecycle scripts as a host without an order would run them: Ona's
// automations and lifecycle commands have no declared order between them, and a first start
// without a prebuild has no node_modules. Fake npm, docker and node record what ran and when;
// the scripts themselves are the real ones, copied into a fresh checkout.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';

interface Ran {
  code: number | null;
  out: string;
}

/** A fresh checkout with no node_modules, the real scripts, and fakes on PATH that log each step with its time. */
function checkout(opts: { npmFails?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'cruddur-lifecycle-'));
  for (const f of ['.devcontainer/workspace.sh', '.ona/verdict.sh']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    copyFileSync(join(REPO_ROOT, f), join(root, f));
  }
  writeFileSync(join(root, 'package-lock.json'), '{}');
  const bin = join(root, 'fake-bin');
  mkdirSync(bin);
  const log = join(root, 'steps.log');
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\nstep() { echo "$(date +%s%N) $*" >> ${log}; }\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // npm ci takes a while (as on café Wi-Fi), then leaves node_modules and the project's node behind.
  script(
    'npm',
    opts.npmFails
      ? 'step npm-begin "$@"; sleep 0.3; echo "npm error network request to https://registry.npmjs.org failed" >&2; step npm-end; exit 1'
      : `step npm-begin "$@"; sleep 1
mkdir -p node_modules/.bin; touch node_modules/.package-lock.json
cp ${join(bin, 'project-node')} node_modules/.bin/node
step npm-end`,
  );
  script('docker', 'step docker-begin "$@"; sleep 0.5; step docker-end "$@"');
  // What node_modules/.bin/node becomes: the start, which writes its verdict.
  script('project-node', 'step start-begin "$@"; sleep 1; mkdir -p .cruddur/start; echo "Cruddur workspace start on Ona, now: ✔ the local pipeline works" > .cruddur/start/verdict.txt; step start-end');
  const env = { PATH: `${bin}:${process.env.PATH}`, HOME: root };
  const run = (args: string[]): Promise<Ran> =>
    new Promise((resolve) => {
      const child = spawn('bash', args, { cwd: root, env });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      child.on('close', (code) => resolve({ code, out }));
    });
  const steps = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => {
            const [at, what, ...args] = l.split(' ');
            return { at: Number(BigInt(at!) / 1_000_000n), what: what!, args: args.join(' ') };
          })
      : [];
  return { root, run, steps };
}

const t = suite('the Dev Container lifecycle: .devcontainer/workspace.sh');

t('a first start with every command at once (updateContentCommand and postStartCommand twice): one npm ci, then the images, then one start at a time', async () => {
  const c = checkout();
  const ran = await Promise.all([c.run(['.devcontainer/workspace.sh', 'install']), c.run(['.devcontainer/workspace.sh', 'start']), c.run(['.devcontainer/workspace.sh', 'start'])]);
  for (const r of ran) assert.is(r.code, 0, r.out);
  const steps = c.steps();
  const named = (what: string) => steps.filter((s) => s.what === what);
  assert.is(named('npm-begin').length, 1, `one npm ci: ${JSON.stringify(steps)}`);
  assert.is(named('npm-begin')[0]!.args, 'ci --no-audit --no-fund');
  const installed = named('npm-end')[0]!.at;
  assert.equal(named('docker-begin').map((s) => s.args), ['compose build']);
  assert.is(named('start-begin').length, 2, 'each start ran');
  for (const s of [...named('docker-begin'), ...named('start-begin')]) assert.ok(s.at >= installed, `${s.what} began before npm ci ended`);
  // Nothing overlaps: each step ends before the next begins.
  const spans = ['npm', 'docker', 'start'].flatMap((k) => named(`${k}-begin`).map((b, i) => ({ k, from: b.at, to: named(`${k}-end`)[i]!.at })));
  spans.sort((a, b) => a.from - b.from);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i]!.from >= spans[i - 1]!.to, `${spans[i]!.k} began while ${spans[i - 1]!.k} ran`);
  assert.ok(ran.some((r) => r.out.includes('waiting for the workspace\'s other lifecycle command to finish (.cruddur/workspace.lock)')), 'the one that waited says so');
  assert.is(ran.map((r) => r.out).join('').split('== npm ci (node_modules is missing or older than package-lock.json)').length - 1, 1, 'and says when it installs');
});

t('a second start finds node_modules current and runs no npm ci; one older than the lockfile is installed again', async () => {
  const c = checkout();
  assert.is((await c.run(['.devcontainer/workspace.sh', 'start'])).code, 0);
  const again = await c.run(['.devcontainer/workspace.sh', 'start']);
  assert.match(again.out, /node_modules is current: no npm ci/);
  assert.is(c.steps().filter((s) => s.what === 'npm-begin').length, 1);
  // A pull that changes the lockfile makes node_modules stale.
  utimesSync(join(c.root, 'node_modules', '.package-lock.json'), new Date(1000), new Date(1000));
  await c.run(['.devcontainer/workspace.sh', 'start']);
  assert.is(c.steps().filter((s) => s.what === 'npm-begin').length, 2);
});

t('npm ci failing (no network): no start, and a verdict that says so and what to run, where the terminal shows it', async () => {
  const c = checkout({ npmFails: true });
  const r = await c.run(['.devcontainer/workspace.sh', 'start']);
  assert.is(r.code, 0, 'the workspace opens; the verdict explains');
  assert.not.ok(c.steps().some((s) => s.what === 'start-begin'));
  const verdict = readFileSync(join(c.root, '.cruddur/start/verdict.txt'), 'utf8');
  assert.match(verdict, /^Cruddur workspace start, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: ✘ the stack did not start\n {2}✘ npm ci failed .*run {2}bash \.devcontainer\/workspace\.sh start\n$/);
  const install = await c.run(['.devcontainer/workspace.sh', 'install']);
  assert.is(install.code, 1, 'updateContentCommand fails, so the host shows it');
  assert.not.ok(c.steps().some((s) => s.what === 'docker-begin'), 'no build without node_modules');
});

t('anything else is a usage error', async () => {
  const c = checkout();
  const r = await c.run(['.devcontainer/workspace.sh', 'up']);
  assert.is(r.code, 2);
  assert.is(r.out, 'usage: bash .devcontainer/workspace.sh install|start\n');
});

t.run();

const v = suite('Ona’s task "Start verdict": .ona/verdict.sh');


v('waits for this container’s start to write its verdict (an older one does not count), prints it, and passes with it', async () => {
  const c = checkout();
  // A verdict from an earlier start of the environment: older than this container.
  mkdirSync(join(c.root, '.cruddur/start'), { recursive: true });
  writeFileSync(join(c.root, '.cruddur/start/verdict.txt'), 'Cruddur workspace start on Ona, yesterday: ✘ some hops are broken\n');
  utimesSync(join(c.root, '.cruddur/start/verdict.txt'), new Date(1000), new Date(1000));
  const waiting = c.run(['.ona/verdict.sh']);
  await new Promise((r) => setTimeout(r, 1500));
  const start = c.run(['.devcontainer/workspace.sh', 'start']);
  const [shown] = await Promise.all([waiting, start]);
  assert.is(shown.code, 0, shown.out);
  assert.match(shown.out, /^waiting for the start's verdict \(0 s; its log: \.cruddur\/start\/start\.log\)\n/);
  assert.match(shown.out, /Cruddur workspace start on Ona, now: ✔ the local pipeline works\n$/);
  assert.not.match(shown.out, /yesterday/);
});

v('fails, and so marks the task, when the verdict is a failure; gives up after its limit with what to run', async () => {
  const c = checkout();
  mkdirSync(join(c.root, '.cruddur/start'), { recursive: true });
  writeFileSync(join(c.root, '.cruddur/start/verdict.txt'), 'Cruddur workspace start on Ona, now: ✘ some hops are broken\n  ✘ xray: not confirmed\n');
  const failed = await c.run(['.ona/verdict.sh']);
  assert.is(failed.code, 1);
  assert.match(failed.out, /✘ xray: not confirmed/);
  const none = checkout();
  const r = await promisify(execFile)('bash', ['.ona/verdict.sh'], { cwd: none.root, env: { PATH: process.env.PATH, CRUDDUR_VERDICT_WAIT_S: '2' } }).catch((e) => e);
  assert.is(r.code, 1);
  assert.match(r.stdout, /✘ no verdict after 2 s: the start's log is \.cruddur\/start\/start\.log \(bash \.devcontainer\/workspace\.sh start runs it again\)\n$/);
});

v.run();
