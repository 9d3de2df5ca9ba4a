// What the suites need beyond npm's packages, got before they run (npm test does this first):
// Debian's Chromium (the browser tests), the real collector (testkit/otelcol-binary.ts) and
// docker compose v2 or later (the compose checks, and the collector's command and environment
// as Compose resolves them). Each is used when present; else got here, saying what and how long,
// where the machine allows (root or passwordless sudo with apt-get; Go for the builds); else a
// failure naming the one command that gets it.
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './browser.ts';
import { collectorBinary, run } from './otelcol-binary.ts';

export type Tool = 'chromium' | 'otelcol' | 'compose';

/** Compose built from its Go module, at this version, when `docker compose` is missing. */
export const COMPOSE_MODULE = { path: 'github.com/docker/compose/v5', version: 'v5.6.0' };

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;
const tail = (out: string) => out.trim().split('\n').slice(-3).join(' / ').slice(0, 400);

/** apt-get as root, or through passwordless sudo; undefined when this machine allows neither. */
async function aptGet(): Promise<string[] | undefined> {
  if ((await run('apt-get', ['--version'])).missing) return undefined;
  if (process.getuid?.() === 0) return ['apt-get'];
  return (await run('sudo', ['-n', 'true'])).code === 0 ? ['sudo', '-n', 'apt-get'] : undefined;
}

async function aptInstall(packages: string[], log: (line: string) => void): Promise<void> {
  const apt = await aptGet();
  if (!apt) throw new Error(`run: sudo apt-get install ${packages.join(' ')}`);
  const started = Date.now();
  log(`  installing Debian's ${packages.join(', ')} with apt-get (a minute or two)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = apt as [string, ...string[]];
  const update = await run(cmd, [...pre, 'update', '-qq'], { env, timeoutMs: 600_000 });
  if (update.code !== 0) throw new Error(`apt-get update failed: ${tail(update.out)}`);
  const install = await run(cmd, [...pre, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env, timeoutMs: 1_200_000 });
  if (install.code !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed: ${tail(install.out)}`);
  log(`  installed in ${seconds(started)}`);
}

async function chromium(log: (line: string) => void): Promise<string> {
  if (existsSync(CHROMIUM)) return `Chromium at ${CHROMIUM}`;
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist: point it at a Chromium, or unset it to use Debian's /usr/bin/chromium`);
  await aptInstall(['chromium'], log);
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
  return `Chromium at ${CHROMIUM}, installed now`;
}

const composeVersion = async () => {
  const r = await run('docker', ['compose', 'version', '--short'], { timeoutMs: 30_000 });
  return { ...r, version: r.code === 0 ? r.out.trim() : undefined };
};

/**
 * docker compose, v2 or later. Missing, it is built from its Go module (go install refuses a
 * module with exclude directives, so it builds inside a copy of the module) and installed as
 * a docker CLI plugin: for every user when root (a test may run docker with another HOME), else
 * for this user (~/.docker/cli-plugins).
 */
async function compose(log: (line: string) => void): Promise<string> {
  let docker = await composeVersion();
  if (docker.missing) {
    await aptInstall(['docker.io'], log);
    docker = await composeVersion();
  }
  if (docker.version && !/^v?1\./.test(docker.version)) return `docker compose ${docker.version}`;
  const go = await run('go', ['env', 'GOVERSION'], { timeoutMs: 30_000 });
  const { path, version } = COMPOSE_MODULE;
  if (go.code !== 0) throw new Error(`docker compose (v2 or later) is missing, and Go is not installed to build it: install Docker's compose plugin (Debian: sudo apt-get install docker-compose-plugin from Docker's repository), or Go 1.26+`);
  const started = Date.now();
  log(`  building docker compose ${version} from ${path} with ${go.out.trim()} (a minute or two, once)`);
  const dl = await run('go', ['mod', 'download', '-json', `${path}@${version}`], { timeoutMs: 600_000 });
  const dir = dl.code === 0 ? (JSON.parse(dl.out) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new Error(`go mod download ${path}@${version} failed: ${tail(dl.out)}`);
  const src = mkdtempSync(join(tmpdir(), 'cruddur-compose-src-'));
  try {
    cpSync(dir, src, { recursive: true });
    // The module cache is read-only; the build may write the copy's go.sum.
    await run('chmod', ['-R', 'u+w', src]);
    const out = join(src, 'docker-compose');
    const built = await run('go', ['build', '-trimpath', '-ldflags', `-s -w -X ${path}/internal.Version=${version}`, '-o', out, './cmd'], {
      cwd: src,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false -mod=mod' },
      timeoutMs: 1_800_000,
    });
    if (built.code !== 0) throw new Error(`building docker compose failed: ${tail(built.out)}`);
    // As root, where the docker CLI looks for every user and any HOME (Docker's manual install:
    // /usr/local/lib/docker/cli-plugins); else this user's own plugins (DOCKER_CONFIG or ~/.docker).
    const plugins = process.getuid?.() === 0 ? '/usr/local/lib/docker/cli-plugins' : join(process.env.DOCKER_CONFIG || join(homedir(), '.docker'), 'cli-plugins');
    mkdirSync(plugins, { recursive: true });
    copyFileSync(out, join(plugins, 'docker-compose.tmp'));
    chmodSync(join(plugins, 'docker-compose.tmp'), 0o755);
    renameSync(join(plugins, 'docker-compose.tmp'), join(plugins, 'docker-compose'));
    const now = await composeVersion();
    if (!now.version) throw new Error(`docker compose ${version} was built into ${plugins}, but docker compose version fails: ${tail(now.out)}`);
    return `docker compose ${now.version}, built now in ${seconds(started)} (${plugins}/docker-compose)`;
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

const GETTERS: Record<Tool, (log: (line: string) => void) => Promise<string>> = {
  chromium,
  compose,
  otelcol: async (log) => (await collectorBinary(log)).said,
};

/** Gets each tool, in an order that lets one build's tools serve the next; returns what is missing and why. */
export async function ensureTools(tools: Tool[], log: (line: string) => void = console.log): Promise<Map<Tool, string>> {
  const missing = new Map<Tool, string>();
  for (const tool of (['compose', 'otelcol', 'chromium'] as const).filter((t) => tools.includes(t))) {
    const started = Date.now();
    try {
      const said = await GETTERS[tool](log);
      log(`  ✔ ${said}${Date.now() - started > 2000 ? ` (${seconds(started)})` : ''}`);
    } catch (err) {
      const message = (err as Error).message;
      missing.set(tool, message);
      log(`  ✘ ${tool}: ${message}`);
    }
  }
  return missing;
}
