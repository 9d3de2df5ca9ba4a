import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from '../lib/workspace/settings.ts';

// The compile cache goes to os.tmpdir()/node-compile-cache: a TMPDIR of its own per run shows
// whether this run wrote one.
function node(args: string[]) {
  const tmp = mkdtempSync(join(tmpdir(), 'launch-'));
  const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: '/nonexistent', TMPDIR: tmp }, encoding: 'utf8' });
  const cache = join(tmp, 'node-compile-cache');
  const cached = existsSync(cache) ? readdirSync(cache, { recursive: true }).length : 0;
  return { ...run, cached };
}

test('the launcher runs a script as node would, with the same output and exit code', () => {
  const direct = node(['scripts/doctor/main.ts', '--only', 'honeycomb', '--json']);
  const launched = node(['scripts/launch.js', 'scripts/doctor/main.ts', '--only', 'honeycomb', '--json']);
  assert.is(direct.status, 1, 'no key: the doctor fails');
  assert.is(launched.status, direct.status);
  const ids = (out: string) => (JSON.parse(out) as { checks: { id: string; status: string }[] }).checks.map((c) => `${c.id}=${c.status}`);
  assert.equal(ids(launched.stdout), ids(direct.stdout));
  assert.is(launched.stderr, '');
});

test('the launcher fills the compile cache; running the .ts file directly does not', () => {
  assert.ok(node(['scripts/launch.js', 'scripts/doctor/main.ts', '--help']).cached > 10, 'entries for the doctor and its modules');
  assert.is(node(['scripts/doctor/main.ts', '--help']).cached, 0);
});

test('without a script the launcher says how to call it', () => {
  const run = node(['scripts/launch.js']);
  assert.is(run.status, 2);
  assert.match(run.stderr, /usage: node scripts\/launch\.js <script\.ts>/);
});

test('the npm scripts a person runs go through the launcher', () => {
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['doctor', 'smoke', 'setup', 'xray:setup', 'honeycomb:board']) {
    assert.match(scripts[name]!, /^node scripts\/launch\.js scripts\/\S+\.ts$/, name);
  }
});

test.run();
