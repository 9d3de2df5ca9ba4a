// The stack lane's plumbing: a Docker engine, docker compose with the lane's override file,
// health waits and logs. The compose file under test is the one users run.
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { AWS } from '../../testkit/clouds.ts';
import { KEYS } from '../../testkit/honeycomb.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PROJECT = 'cruddur-stack';
export const FAKES = { honeycomb: 'http://127.0.0.1:8081', xray: 'http://127.0.0.1:8082', sts: 'http://127.0.0.1:8083', logs: 'http://127.0.0.1:8084', inspect: 'http://127.0.0.1:8090' };

/** What a user's shell would hold: the key and credentials, here the fakes' own. */
// CLOUDWATCH_LOGS=true: the lane runs compose's second --config (the command interpolates it);
// npm test covers both values with the stand-in in-process.
export const USER_ENV = { HONEYCOMB_API_KEY: KEYS.enterprise, HONEYCOMB_ENVIRONMENT: 'bootcamp', CLOUDWATCH_LOGS: 'true', ...AWS };

/** `docker compose`, v2 or later, as every host runs it (npm test's set-up installs the plugin here). */
async function composeCommand(): Promise<string[]> {
  const v = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  if (v.exitCode === 0 && !/^v?1\./.test(v.stdout.trim())) return ['docker', 'compose'];
  throw new Error('`docker compose` (v2 or later) is not installed: npm test installs it (scripts/setup-tools.ts), or install Docker Desktop or docker-compose-plugin.');
}

let composeCmd: string[] | undefined;
// No .env of the developer's may leak into the lane: an empty env file, and exactly USER_ENV.
const emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'cruddur-stack-')), 'empty.env');
writeFileSync(emptyEnvFile, '');

/** Where docker-compose.yml mounts the collector's local files (CRUDDUR_LOCAL_FILES=on). */
export const TELEMETRY = join(ROOT, '.cruddur', 'telemetry');

/**
 * An empty telemetry folder for the lane, so the local board reads only the lane's traffic: a
 * folder already holding files (a developer's own) is moved aside, not deleted.
 */
export function freshTelemetry(log: (line: string) => void): void {
  if (existsSync(TELEMETRY) && readdirSync(TELEMETRY).length) {
    const aside = `${TELEMETRY}.before-lane-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(TELEMETRY, aside);
    log(`  ${TELEMETRY} held files: moved to ${aside}`);
  }
  mkdirSync(TELEMETRY, { recursive: true });
}

export async function compose(args: string[], opts: { timeout?: number; reject?: boolean } = {}) {
  composeCmd ??= await composeCommand();
  const [cmd, ...pre] = composeCmd;
  return execa(cmd!, [...pre, '--env-file', emptyEnvFile, '-p', PROJECT, '-f', 'docker-compose.yml', '-f', 'test/stack/compose.stack.yml', ...args], {
    cwd: ROOT,
    // Local files on, as the workspace start saves it: the collector keeps what it receives in TELEMETRY, as this user.
    env: { ...USER_ENV, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0', CRUDDUR_LOCAL_FILES: 'on', CRUDDUR_UID: String(process.getuid?.() ?? 0), CRUDDUR_GID: String(process.getgid?.() ?? 0) },
    extendEnv: true,
    timeout: opts.timeout ?? 600_000,
    reject: opts.reject ?? true,
  });
}

/** A running engine: the one there is, or dockerd started here (as root, on vfs) when it is installed but not running. */
export async function ensureEngine(log: (line: string) => void): Promise<void> {
  const info = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false });
  if (info.exitCode === 0) return;
  if ((info as { code?: string }).code === 'ENOENT') throw new Error('No docker CLI: apt-get install docker.io (or install Docker).');
  if (process.getuid?.() !== 0 || !existsSync('/usr/sbin/dockerd')) {
    throw new Error(`The Docker engine is not running (${info.stderr.split('\n')[0]}), and it cannot be started here: start Docker, or run as root with Debian's docker.io installed.`);
  }
  log('  starting dockerd --storage-driver=vfs (log: /tmp/cruddur-dockerd.log)');
  const out = openSync('/tmp/cruddur-dockerd.log', 'a');
  // dockerd runs iptables and containerd from the sbin folders, which a non-login PATH may lack.
  const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin` };
  const daemon = spawn('/usr/sbin/dockerd', ['--storage-driver=vfs'], { detached: true, stdio: ['ignore', out, out], env });
  daemon.unref();
  let exited: number | null | undefined;
  daemon.once('exit', (code) => (exited = code));
  for (let i = 0; i < 60 && exited === undefined; i++) {
    if ((await execa('docker', ['info'], { reject: false })).exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  const last = readFileSync('/tmp/cruddur-dockerd.log', 'utf8').trim().split('\n').at(-1) ?? '';
  throw new Error(`dockerd ${exited === undefined ? 'did not answer within 30 s' : `exited (${exited})`}: ${last.slice(0, 300)} (all of it: /tmp/cruddur-dockerd.log)`);
}

// The lane's builds and containers take about 8 GB on vfs, which copies every layer in full.
const NEEDED_BYTES = 10 * 1024 ** 3;

/**
 * Enough free disk for the builds, or an error that says so and how to get it back: a full
 * disk otherwise fails deep in compose ("no space left on device") after minutes of building.
 * Each rebuild leaves the image it replaced untagged; those are what fill it up.
 */
export async function ensureDiskSpace(log: (line: string) => void): Promise<void> {
  const root = (await execa('docker', ['info', '--format', '{{.DockerRootDir}}'], { reject: false })).stdout.trim() || '/var/lib/docker';
  const free = () => {
    const s = statfsSync(existsSync(root) ? root : '/');
    return s.bavail * s.bsize;
  };
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
  let available = free();
  log(`  ${gb(available)} free for ${root}`);
  if (available >= NEEDED_BYTES) return;
  const dangling = (await execa('docker', ['images', '--filter', 'dangling=true', '--quiet'], { reject: false })).stdout.split('\n').filter(Boolean).length;
  // A CI machine is ours to clean; on a person's machine, say so and leave the choice to them.
  if (process.env.CI === 'true' && dangling) {
    log(`  removing ${dangling} untagged images left by earlier builds (CI=true): docker image prune -f`);
    await execa('docker', ['image', 'prune', '-f']);
    available = free();
    log(`  ${gb(available)} free now`);
    if (available >= NEEDED_BYTES) return;
  }
  throw new Error(
    `Only ${gb(available)} free for Docker's images (${root}); the lane needs about ${gb(NEEDED_BYTES)}. ` +
      (dangling ? `${dangling} untagged images left by earlier builds can go: docker image prune -f` : 'Free some disk, or docker system prune to remove unused images.'),
  );
}

/** The last lines of each service's log, for a failure's report. */
export async function lastLogs(lines = 30): Promise<string> {
  const out = await compose(['logs', '--no-color', '--tail', String(lines)], { reject: false });
  return out.stdout + out.stderr;
}
