// The real collector for the tests: otelcol-contrib at the release docker-compose.yml pins,
// found in this order (each step says what it used):
//   1. OTELCOL_BIN, a binary you have;
//   2. the binary copied out of the pinned image, when the Docker engine has it or can pull it;
//   3. built here with the OpenTelemetry Collector Builder from otel-collector/builder/,
//      cached by the hash of its manifest and go.sum, so a second run builds nothing;
//   4. else a failure that names these three ways.
import { spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUILDER_DIR = join(ROOT, 'otel-collector/builder');
const MANIFEST = join(BUILDER_DIR, 'builder-config.yaml');
const GO_SUM = join(BUILDER_DIR, 'go.sum');
/** Images this project built from the builder's binary carry this label (test/stack): never "the pinned image". */
export const BUILT_HERE_LABEL = 'dev.cruddur.otelcol.built-from';

export interface CollectorBinary {
  path: string;
  version: string;
  how: 'OTELCOL_BIN' | 'image' | 'cache' | 'built';
  /** What a person reads: where it came from, and for a build how long it took. */
  said: string;
}

/** The image docker-compose.yml gives the collector, and its tag: the version everything else follows. */
export function pinnedImage(): { image: string; version: string } {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
  const image = String(compose.services['otel-collector'].image);
  return { image, version: image.split(':').at(-1)! };
}

export function manifest(): { version: string; text: string; modules: { gomod: string; version: string; kind: string }[] } {
  const text = readFileSync(MANIFEST, 'utf8');
  const doc = parse(text);
  const modules = ['receivers', 'processors', 'exporters', 'extensions', 'connectors', 'providers'].flatMap((kind) =>
    ((doc[kind] ?? []) as { gomod: string }[]).map((m) => {
      const [gomod, version] = m.gomod.split(/\s+/);
      return { gomod: gomod!, version: version!, kind };
    }),
  );
  return { version: String(doc.dist.version), text, modules };
}

const cacheRoot = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cruddur', 'otelcol');

/** The build's cache key: the manifest and its checksums, and the Go that builds it. */
function buildKey(goVersion: string): string {
  const hash = createHash('sha256').update(readFileSync(MANIFEST)).update(existsSync(GO_SUM) ? readFileSync(GO_SUM) : '').update(goVersion).digest('hex');
  return `build-${manifest().version}-${hash.slice(0, 12)}`;
}

/** Runs a command to its end: its exit code, its output (stdout and stderr), and whether it is missing. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}) {
  return new Promise<{ code: number | null; out: string; missing: boolean }>((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (out += c));
    child.on('error', (err: NodeJS.ErrnoException) => resolve({ code: null, out: err.message, missing: err.code === 'ENOENT' }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, missing: false });
    });
  });
}

/** "otelcol-contrib version 0.152.0" -> "0.152.0". */
async function binaryVersion(path: string): Promise<string | undefined> {
  const r = await run(path, ['--version'], { timeoutMs: 15_000 });
  return r.out.match(/version v?(\d+\.\d+\.\d+)/)?.[1];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function fromImage(image: string, version: string, log: (line: string) => void): Promise<string | undefined> {
  const target = join(cacheRoot(), `image-${version}`, 'otelcol-contrib');
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 10_000 });
  if (info.code !== 0) return undefined;
  const label = await run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${BUILT_HERE_LABEL}"}}`, image], { timeoutMs: 10_000 });
  if (label.code === 0 && label.out.trim() && label.out.trim() !== '<no value>') return undefined; // our own image of the built binary
  if (label.code !== 0) {
    log(`  pulling ${image}`);
    const pulled = await run('docker', ['pull', '-q', image], { timeoutMs: 180_000 });
    if (pulled.code !== 0) {
      log(`  cannot pull it: ${pulled.out.trim().split('\n').at(-1)?.slice(0, 160)}`);
      return undefined;
    }
  }
  const created = await run('docker', ['create', image], { timeoutMs: 30_000 });
  if (created.code !== 0) return undefined;
  const id = created.out.trim().split('\n').at(-1)!;
  try {
    mkdirSync(join(target, '..'), { recursive: true });
    // The contrib image's Dockerfile: COPY otelcol-contrib /otelcol-contrib, the entrypoint.
    const copied = await run('docker', ['cp', `${id}:/otelcol-contrib`, `${target}.tmp`], { timeoutMs: 60_000 });
    if (copied.code !== 0) return undefined;
    renameSync(`${target}.tmp`, target);
    return target;
  } finally {
    await run('docker', ['rm', id], { timeoutMs: 30_000 });
  }
}

/**
 * Builds otelcol-contrib with the Collector Builder at the manifest's version. GOFLAGS=-e:
 * the builder's `go mod tidy` also resolves the tests of the modules it imports, and the proxy
 * here does not serve some of those test-only modules (zpagesextension, telemetrytest and
 * scrapertest at 0.152.0); the binary needs none of them, and `go build` still fails on any
 * module it does need. go.sum beside the manifest pins every checksum, because the checksum
 * database does not answer for six of the modules (the AWS exporters and their internal/aws).
 */
async function build(log: (line: string) => void): Promise<CollectorBinary> {
  const go = await run('go', ['env', 'GOVERSION'], { timeoutMs: 30_000 });
  const { version } = manifest();
  if (go.missing || go.code !== 0) throw new NoCollector('Go is not installed, so the collector cannot be built here');
  const goVersion = go.out.trim();
  const dir = join(cacheRoot(), buildKey(goVersion));
  const target = join(dir, 'otelcol-contrib');
  const work = join(cacheRoot(), `work-${process.pid}-${Date.now()}`);
  mkdirSync(join(work, 'src'), { recursive: true });
  try {
    writeFileSync(join(work, 'manifest.yaml'), manifest().text.replace(/^(\s*output_path:).*$/m, `$1 ${join(work, 'src')}`));
    if (existsSync(GO_SUM)) copyFileSync(GO_SUM, join(work, 'src', 'go.sum'));
    const started = Date.now();
    log(`  building otelcol-contrib ${version} with the OpenTelemetry Collector Builder and ${goVersion} (a few minutes, once; cached in ${cacheRoot()})`);
    const beat = setInterval(() => log(`  still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    const built = await run('go', ['run', `go.opentelemetry.io/collector/cmd/builder@v${version}`, '--config', join(work, 'manifest.yaml')], {
      cwd: work,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-e -buildvcs=false' },
      timeoutMs: 30 * 60_000,
    }).finally(() => clearInterval(beat));
    const binary = join(work, 'src', 'otelcol-contrib');
    if (built.code !== 0 || !executable(binary)) {
      const said = built.out.trim().split('\n').filter((l) => /error|Error|403|404|cannot/.test(l)).slice(-4).join('\n    ');
      throw new NoCollector(`The Collector Builder failed (exit ${built.code}):\n    ${said.slice(0, 1200)}`);
    }
    mkdirSync(dir, { recursive: true });
    renameSync(binary, target);
    // Kept for whoever updates the pin: the go.sum this build resolved.
    copyFileSync(join(work, 'src', 'go.sum'), join(dir, 'go.sum'));
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    return { path: target, version, how: 'built', said: `otelcol-contrib ${version}, built from otel-collector/builder/ in ${seconds} s (${target})` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export class NoCollector extends Error {}

const THREE_WAYS = (image: string, version: string) =>
  `Give the tests the collector one of three ways:\n` +
  `  - OTELCOL_BIN=/path/to/otelcol-contrib (version ${version});\n` +
  `  - a running Docker engine that can pull ${image};\n` +
  `  - Go 1.25 or later on PATH (https://go.dev/dl/), and the tests build it once with the OpenTelemetry Collector Builder.`;

let found: Promise<CollectorBinary> | undefined;

/** The collector binary, found once per process. */
export function collectorBinary(log: (line: string) => void = () => {}): Promise<CollectorBinary> {
  found ??= find(log);
  return found;
}

async function find(log: (line: string) => void): Promise<CollectorBinary> {
  const { image, version } = pinnedImage();
  const given = process.env.OTELCOL_BIN;
  if (given) {
    if (!executable(given)) throw new NoCollector(`OTELCOL_BIN=${given} is not an executable file. Unset it, or point it at otelcol-contrib ${version}.`);
    const v = await binaryVersion(given);
    if (v !== version) log(`  ! OTELCOL_BIN is otelcol-contrib ${v ?? '(unknown version)'}, docker-compose.yml pins ${version}: the tests run it anyway`);
    return { path: given, version: v ?? 'unknown', how: 'OTELCOL_BIN', said: `otelcol-contrib ${v ?? '?'} from OTELCOL_BIN (${given})` };
  }
  // What an earlier run left comes first: no pull to wait for, no build.
  const earlier = join(cacheRoot(), `image-${version}`, 'otelcol-contrib');
  if (executable(earlier)) return { path: earlier, version, how: 'cache', said: `otelcol-contrib ${version}, copied out of ${image} earlier (${earlier})` };
  const goVersion = (await run('go', ['env', 'GOVERSION'], { timeoutMs: 30_000 })).out.trim();
  const built = join(cacheRoot(), buildKey(goVersion), 'otelcol-contrib');
  if (goVersion.startsWith('go') && executable(built)) return { path: built, version, how: 'cache', said: `otelcol-contrib ${version}, built earlier from otel-collector/builder/ (${built})` };
  const copied = await fromImage(image, version, log);
  if (copied) return { path: copied, version, how: 'image', said: `otelcol-contrib ${version}, copied out of ${image} (${copied})` };
  try {
    return await build(log);
  } catch (err) {
    if (err instanceof NoCollector) throw new NoCollector(`No collector binary: ${err.message}.\n${THREE_WAYS(image, version)}`);
    throw err;
  }
}

if (import.meta.main) {
  try {
    const bin = await collectorBinary((l) => console.log(l));
    console.log(bin.said);
  } catch (err) {
    console.error(`✘ ${(err as Error).message}`);
    process.exit(1);
  }
}
