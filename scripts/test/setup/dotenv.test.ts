// .env as setup writes it, read back by every reader a user has: Node's parseEnv (the scripts),
// `set -a; . ./.env` (a shell), and docker compose (v2 and later, compose-go's dotenv), the one
// every host runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DotEnvValueError, dotEnvCarries, updateDotEnv } from '../../lib/workspace/dotenv-file.ts';

const t = suite('.env written by setup, read back by compose, Node and the shell');

const HOSTILE = ['a"b', '$HOME', '${HOME}', 'a\\b', 'C:\\Users\\x y', '$HOME}', '`id`', '$(id)', 'two words', 'a#b', ' padded ', 'x=y', 'über', '%s', 'a;b&c|d', '*', 'hcxlk_01jtestconfigkey0000000000', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'];
const names = HOSTILE.map((_, i) => `V${i}`);

function written() {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  const path = join(dir, '.env');
  updateDotEnv(path, Object.fromEntries(names.map((n, i) => [n, HOSTILE[i]!])));
  return { dir, path };
}

t('Node’s parseEnv reads back every value as it was', () => {
  const env = parseEnv(readFileSync(written().path, 'utf8'));
  for (const [i, n] of names.entries()) assert.is(env[n], HOSTILE[i], n);
});

t('a shell sourcing it reads back every value, and runs nothing', () => {
  const { path, dir } = written();
  const script = `set -a; . '${path}'; ${names.map((n) => `printf '%s\\0' "$${n}"`).join('; ')}`;
  const out = execFileSync('sh', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH, HOME: '/home/someone', DOCKER_CONFIG: process.env.DOCKER_CONFIG || join(homedir(), '.docker') }, encoding: 'utf8' });
  assert.equal(out.split('\0').slice(0, -1), HOSTILE);
});

t('docker compose reads back every value, expanding nothing', () => {
  if (spawnSync('docker', ['compose', 'version']).status !== 0) throw new Error('docker compose is not installed: npm test installs it; or install Docker');
  const { path, dir } = written();
  writeFileSync(join(dir, 'docker-compose.yml'), `services:\n  s:\n    image: x\n    environment:\n${names.map((n) => `      ${n}: \${${n}}`).join('\n')}\n`);
  const out = execFileSync('docker', ['compose', '--env-file', path, 'config', '--format', 'json'], { cwd: dir, env: { PATH: process.env.PATH, HOME: '/home/someone', DOCKER_CONFIG: process.env.DOCKER_CONFIG || join(homedir(), '.docker') }, encoding: 'utf8' });
  const env = JSON.parse(out).services.s.environment as Record<string, string>;
  // `config` prints a literal $ as $$, so that its own output would not be interpolated again.
  for (const [i, n] of names.entries()) assert.is(String(env[n]).replace(/\$\$/g, '$'), HOSTILE[i], n);
});

t('a value no quoting can carry is refused with the reason, and nothing is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  const path = join(dir, '.env');
  writeFileSync(path, 'KEEP=me\n');
  for (const [value, said] of [["it's", 'a single quote'], ['ab\\', 'a backslash at its end'], ['a\nb', 'a line break']] as const) {
    assert.throws(() => updateDotEnv(path, { OK: 'fine', AWS_SECRET_ACCESS_KEY: value }), (err: Error) => err instanceof DotEnvValueError && err.message.includes(`AWS_SECRET_ACCESS_KEY contains ${said}`));
    assert.is(dotEnvCarries(value), false, JSON.stringify(value));
  }
  // What setup asks before saving an environment's name: the rest is carried quoted.
  for (const value of ['bootcamp', 'Sam bootcamp', '$HOME `x` "q"']) assert.is(dotEnvCarries(value), true, value);
  assert.is(readFileSync(path, 'utf8'), 'KEEP=me\n', 'nothing written, not even the good value');
});

t('a new file holds exactly the lines written; a new name in an existing file is added and reported; nothing new rewrites nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  const path = join(dir, '.env');
  assert.equal(updateDotEnv(path, { A: '1' }), { changed: ['A'], deduplicated: [] });
  assert.is(readFileSync(path, 'utf8'), 'A=1\n');
  assert.equal(updateDotEnv(path, { B: 'two words' }), { changed: ['B'], deduplicated: [] });
  assert.is(readFileSync(path, 'utf8'), "A=1\nB='two words'\n");
  const { utimesSync } = await import('node:fs');
  utimesSync(path, new Date(1000), new Date(1000));
  assert.equal(updateDotEnv(path, { A: '1', B: 'two words' }), { changed: [], deduplicated: [] });
  assert.is(statSync(path).mtimeMs, 1000, 'not rewritten');
});

t('a name already set to another value is rewritten in place and reported; the file stays its owner’s', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dotenv-')), '.env');
  writeFileSync(path, 'A=1\nB=2\n', { mode: 0o644 });
  assert.equal(updateDotEnv(path, { A: 'one' }), { changed: ['A'], deduplicated: [] });
  assert.is(readFileSync(path, 'utf8'), 'A=one\nB=2\n');
  assert.is(statSync(path).mode & 0o777, 0o600, 'readable by its owner only, even when it was not');
});

t('each value no quoting carries names what it holds', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dotenv-')), '.env');
  for (const [value, said] of [['a\0b', 'a NUL character'], ['a\rb', 'a line break'], ["'", 'a single quote']] as const) {
    assert.throws(() => updateDotEnv(path, { X: value }), (err: Error) => err.message.startsWith(`X contains ${said}, which docker compose, Node and the shell would each read back differently`));
  }
});

t('a name set twice keeps one line with the new value, and says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  const path = join(dir, '.env');
  writeFileSync(path, '# mine\nHONEYCOMB_API_KEY=old1\nOTHER=x\nexport HONEYCOMB_API_KEY=old2\n');
  const r = updateDotEnv(path, { HONEYCOMB_API_KEY: 'new' });
  assert.equal(r, { changed: ['HONEYCOMB_API_KEY'], deduplicated: ['HONEYCOMB_API_KEY'] });
  assert.is(readFileSync(path, 'utf8'), '# mine\nHONEYCOMB_API_KEY=new\nOTHER=x\n');
  assert.is(parseEnv(readFileSync(path, 'utf8')).HONEYCOMB_API_KEY, 'new');
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.equal(updateDotEnv(path, { HONEYCOMB_API_KEY: 'new' }), { changed: [], deduplicated: [] }, 'nothing to change the second time');
});

t.run();
