// The Dev Container lifecycle as VS Code and Codespaces run it: @devcontainers/cli, the reference
// implementation both are built on, reads the project's devcontainer.json and runs its commands,
// in order, against this lane's Docker engine, on a fresh copy of the checkout (no node_modules,
// no prebuild). What this machine cannot give is substituted:
// - the image: mcr.microsoft.com cannot be reached, so the lane's Node 24 stand-in (Debian
//   bookworm, Node 24, npm 11, user node: test/stack/base-images.ts) carries its name;
// - the features: ghcr.io cannot be reached either. docker-in-docker's engine is the lane's own
//   engine instead (its socket, CLI and compose plugin mounted: docker-outside-of-docker), and
//   aws-cli is left out (nothing in the start uses it). So the config the CLI reads is the
//   project's file without "features", and that is the only key removed;
// - the copy of the checkout sits at /workspaces/<name> on this machine, where the CLI mounts
//   it in the container, so the paths compose hands the engine for its bind mounts exist for
//   the lane's engine as they would inside docker-in-docker's.
// What it still proves: the file as the reference implementation reads it; the lifecycle's order
// (updateContentCommand before postStartCommand); one npm ci on a first start; the stack built,
// started and proven from inside the container, its verdict written where the terminal shows it;
// the container starting with the argument Codespaces adds (--network host), and refused with the
// flag this file used to carry; Ona's host-network variant on the host's network.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa, execaSync } from 'execa';
import { parse as parseJsonc } from 'jsonc-parser';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { baseImages, ensureBaseImages } from './base-images.ts';
import { ensureCollectorImage } from './collector-image.ts';
import { ensureDiskSpace, ensureEngine, ROOT } from './stack.ts';

const log = (line: string) => console.log(line);
const CLI = join(ROOT, 'node_modules/.bin/devcontainer');
const LABEL = 'cruddur.lifecycle-test';
type Doc = Record<string, any>;

interface Ctx {
  ready?: Error;
}

/** What docker-in-docker would give the container: an engine, its CLI and compose. */
async function engineMounts(): Promise<string[]> {
  const docker = (await execa('sh', ['-c', 'command -v docker'])).stdout.trim();
  const plugin = ['/usr/local/lib/docker/cli-plugins/docker-compose', '/usr/libexec/docker/cli-plugins/docker-compose', join(process.env.HOME ?? '/root', '.docker/cli-plugins/docker-compose')].find(existsSync);
  if (!plugin) throw new Error('no docker compose plugin to give the dev container: npm test installs it');
  return [
    'type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock',
    `type=bind,source=${docker},target=/usr/local/bin/docker`,
    `type=bind,source=${plugin},target=/usr/local/lib/docker/cli-plugins/docker-compose`,
    // npm's download cache only (node_modules still starts empty): the second dev container does not download again.
    'type=volume,source=cruddur-lifecycle-npm-cache,target=/root/.npm',
  ].flatMap((m) => ['--mount', m]);
}

/**
 * The checkout as a student's fresh clone has it (tracked and new files, no node_modules), at
 * /workspaces/<name>. A run cut short leaves its dev container behind, labelled with this same
 * path, and the CLI would restart it and skip updateContentCommand (its marker is inside): that
 * is removed first.
 */
async function freshCopy(name: string): Promise<string> {
  const target = join('/workspaces', name);
  await cleanUp(target);
  mkdirSync(target, { recursive: true });
  const files = execaSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT }).stdout.split('\0').filter((f) => f && existsSync(join(ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(target, f)), { recursive: true });
    cpSync(join(ROOT, f), join(target, f));
  }
  return target;
}

/** The project's devcontainer file as the CLI will read it: without "features" (see the head of this file), plus what a host adds. */
function projectConfig(source: string, extra: Doc = {}): { path: string; config: Doc } {
  const { features: _unreachable, ...config } = parseJsonc(readFileSync(join(ROOT, source), 'utf8')) as Doc;
  const runArgs = [...(config.runArgs ?? []), ...(extra.runArgs ?? [])];
  const merged: Doc = { ...config, ...extra, ...(runArgs.length ? { runArgs } : {}) };
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-devcontainer-'));
  const path = join(dir, 'devcontainer.json');
  writeFileSync(path, JSON.stringify(merged, null, 2));
  return { path, config: merged };
}

async function up(workspace: string, configPath: string) {
  return execa(CLI, ['up', '--workspace-folder', workspace, '--config', configPath, '--id-label', `${LABEL}=${workspace}`, ...(await engineMounts())], {
    cwd: ROOT,
    reject: false,
    timeout: 20 * 60_000,
    all: true,
  });
}

/** Everything a run left: its dev container and its stack (compose's project is the folder's name). */
async function cleanUp(workspace: string) {
  const ids = (await execa('docker', ['ps', '-aq', '--filter', `label=${LABEL}=${workspace}`], { reject: false })).stdout.split('\n').filter(Boolean);
  if (ids.length) await execa('docker', ['rm', '-f', ...ids], { reject: false });
  await execa('docker', ['compose', '-p', workspace.split('/').at(-1)!, 'down', '--remove-orphans'], { reject: false, timeout: 120_000 });
  rmSync(workspace, { recursive: true, force: true });
}

const devcontainer = parseJsonc(readFileSync(join(ROOT, '.devcontainer/devcontainer.json'), 'utf8')) as Doc;
const t = suite<Ctx>('the Dev Container lifecycle through @devcontainers/cli');

t.before(async (ctx) => {
  try {
    log('== engine, base images (the dev container\'s among them), the collector image');
    await ensureEngine(log);
    await ensureDiskSpace(log);
    log(`  ${JSON.stringify(await ensureBaseImages(log, [...baseImages(), devcontainer.image]))}`);
    log(`  ${await ensureCollectorImage(log)}`);
    const v = await execa(CLI, ['--version'], { reject: false });
    if (v.exitCode !== 0) throw new Error(`@devcontainers/cli does not run (${v.stderr.trim()}): npm ci installs it`);
    log(`  @devcontainers/cli ${v.stdout.trim()}`);
  } catch (err) {
    ctx.ready = err as Error;
  }
});

t('Codespaces’ --network host beside the file’s own: the container starts, runs updateContentCommand then postStartCommand, one npm ci, and the start’s verdict', async (ctx) => {
  if (ctx.ready) throw ctx.ready;
  const workspace = await freshCopy('cruddur-lifecycle');
  try {
    // What Codespaces passes on its own (its creation log: --network host), which the file must not repeat.
    const { path } = projectConfig('.devcontainer/devcontainer.json', { runArgs: ['--network', 'host'] });
    const started = Date.now();
    const r = await up(workspace, path);
    log(`  devcontainer up: exit ${r.exitCode} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    assert.is(r.exitCode, 0, r.all?.slice(-4000));
    assert.match(r.stdout, /"outcome":"success"/);
    const all = r.all ?? '';
    const update = all.indexOf('Running the updateContentCommand from devcontainer.json');
    const poststart = all.indexOf('Running the postStartCommand from devcontainer.json');
    assert.ok(update >= 0 && poststart > update, `updateContentCommand ran, then postStartCommand (at ${update}, ${poststart}):\n${all.slice(-6000)}`);
    // The workspace's own npm ci (image builds inside run theirs, and say "added N packages" too).
    assert.is(all.split('== npm ci (node_modules is missing or older than package-lock.json)').length - 1, 1, `one npm ci:\n${all.slice(update, update + 2000)}`);
    assert.match(all.slice(poststart), /node_modules is current: no npm ci/, 'the start found it installed');
    const container = (await execa('docker', ['ps', '-q', '--filter', `label=${LABEL}=${workspace}`])).stdout.trim();
    assert.is((await execa('docker', ['inspect', '--format', '{{.HostConfig.NetworkMode}}', container])).stdout.trim(), 'host');
    const verdict = readFileSync(join(workspace, '.cruddur/start/verdict.txt'), 'utf8');
    assert.match(verdict, /^Cruddur workspace start on this machine, .*: ✔ the local pipeline works\n/, verdict);
    // Its stack, from inside the container: every published port on loopback.
    const ps = await execa('docker', ['compose', '-p', 'cruddur-lifecycle', 'ps', '--format', 'json'], { cwd: workspace });
    const publishers = ps.stdout.split('\n').filter(Boolean).flatMap((l) => (JSON.parse(l) as { Publishers?: { URL: string; PublishedPort: number }[] }).Publishers ?? []).filter((p) => p.PublishedPort);
    assert.ok(publishers.length >= 5, ps.stdout);
    for (const p of publishers) assert.is(p.URL, '127.0.0.1', `port ${p.PublishedPort}`);
  } finally {
    await cleanUp(workspace);
  }
});

t('the flag this file used to carry, beside Codespaces’ own: docker refuses the container, as Codespaces’ creation log showed', async (ctx) => {
  if (ctx.ready) throw ctx.ready;
  const workspace = await freshCopy('cruddur-lifecycle-refused');
  try {
    const { path } = projectConfig('.devcontainer/devcontainer.json', { runArgs: ['--network=host', '--network', 'host'] });
    const r = await up(workspace, path);
    assert.is.not(r.exitCode, 0);
    assert.match(r.all ?? '', /network "host" is specified multiple times/);
  } finally {
    await cleanUp(workspace);
  }
});

t('Ona’s variant (.ona/devcontainer.json): the stack on the host network, only the front end beyond loopback, and the same verdict', async (ctx) => {
  if (ctx.ready) throw ctx.ready;
  const workspace = await freshCopy('cruddur-lifecycle-ona');
  try {
    const { path, config } = projectConfig('.ona/devcontainer.json');
    assert.equal(config.runArgs, ['--network=host'], 'its own flag, and Ona adds none');
    const r = await up(workspace, path);
    assert.is(r.exitCode, 0, r.all?.slice(-4000));
    const verdict = readFileSync(join(workspace, '.cruddur/start/verdict.txt'), 'utf8');
    assert.match(verdict, /✔ the local pipeline works/, verdict);
    // Listening sockets of this machine (the dev container's network is the host's here).
    const ss = (await execa('ss', ['-ltnH'])).stdout;
    const on = (port: number) => [...ss.matchAll(new RegExp(`\\s(\\S+):${port}\\s`, 'g'))].map((m) => m[1]);
    for (const port of [4567, 4318, 13133, 8888]) assert.equal([...new Set(on(port))], ['127.0.0.1'], `port ${port}: ${on(port)}`);
    assert.ok(on(3000).some((a) => a === '0.0.0.0' || a === '*'), `the front end on every interface for Ona's proxy: ${on(3000)}`);
  } finally {
    await cleanUp(workspace);
  }
});

t.run();
