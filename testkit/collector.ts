// The real collector in the tests: otelcol-contrib (testkit/otelcol-binary.ts) run with what
// docker compose gives the otel-collector service: its command (the --config files and
// --feature-gates) and its environment, as `docker compose config` interpolates them from
// the user's variables. One more --config file, test-only, moves its ports to free loopback
// ones; the cloud endpoints point at the fakes, as test/stack/compose.stack.yml does in the lane.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS } from './clouds.ts';
import { collectorBinary } from './otelcol-binary.ts';
import { startGate, type Gate } from './gate.ts';
import { closedPort, waitFor } from './http.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CollectorOptions {
  honeycomb?: { url: string; key: string };
  xray?: { url: string; region?: string };
  /** Runs with CLOUDWATCH_LOGS=true, its exporter pointed here. */
  cloudwatchLogs?: { url: string; group?: string; stream?: string };
  /** FRONTEND_URL: the origin the receiver's CORS allows (split mode). */
  frontendUrl?: string;
  /** More of the user's variables, as compose reads them (AWS_DEFAULT_REGION, CLOUDWATCH_LOGS, ...). */
  vars?: Record<string, string | undefined>;
  /** More configuration, merged last (a benchmark turning a pipeline's receiver off). */
  overlay?: string;
  /** Runs with CRUDDUR_LOCAL_FILES=on, keeping its files in this folder (compose mounts .cruddur/telemetry). */
  localFiles?: string;
}

export interface ComposeService {
  command: string[];
  environment: Record<string, string>;
  volumes: { source: string; target: string }[];
  image: string;
}

/**
 * The otel-collector service as Compose itself resolves it from the user's variables (never
 * the developer's own .env): `docker compose config --format json`, Compose v2's own
 * interpolation of ${VAR:-default} and the rest.
 */
export async function composeService(vars: Record<string, string | undefined>, service = 'otel-collector'): Promise<ComposeService> {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-compose-'));
  writeFileSync(join(dir, 'empty.env'), '');
  try {
    const env = Object.fromEntries(Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...vars }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('docker', ['compose', '--env-file', join(dir, 'empty.env'), '-f', join(ROOT, 'docker-compose.yml'), 'config', '--format', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('error', (err) => reject(new Error(`docker compose is needed to read docker-compose.yml as Compose does, and docker could not start (${err.message}): npm test installs it; or install Docker.`)));
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`docker compose config failed (exit ${code}): ${stderr.trim().slice(0, 400)}`))));
    });
    return JSON.parse(out).services[service] as ComposeService;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A path inside the container (the config mount, /hostfs) as a path on this machine. */
function hostPath(path: string, volumes: ComposeService['volumes']): string {
  const mount = volumes.find((v) => path === v.target || path.startsWith(`${v.target}/`));
  return mount ? (mount.source + path.slice(mount.target.length)).replace(/^\/\//, '/') || '/' : path;
}

/** The service's command and environment with its container paths as this machine's: what it runs here. */
export function onThisMachine(service: ComposeService): { args: string[]; env: Record<string, string> } {
  const args = service.command.map((a) => (a.startsWith('--config=') ? `--config=${hostPath(a.slice('--config='.length), service.volumes)}` : a));
  const env = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, v.startsWith('/') ? hostPath(v, service.volumes) : v]));
  return { args, env };
}

export interface Collector {
  /** The OTLP/HTTP receiver, through a recording gate: `requests` is what reached the collector. */
  url: string;
  requests: Gate['requests'];
  healthUrl: string;
  /** The collector's own metrics (otelcol_exporter_sent_spans and the rest), Prometheus text. */
  metricsUrl: string;
  /** Its log lines, stdout and stderr. */
  logs: string[];
  /** The process, for a benchmark reading its CPU time. */
  pid: number;
  /** false: its exports are refused on the way out, so it accepts spans and delivers none. */
  setDeliver(deliver: boolean): void;
  close(): Promise<void>;
}

/** The real collector on loopback, forwarding to the given fakes; a destination not given is a closed port. */
export async function startCollector(opts: CollectorOptions = {}): Promise<Collector> {
  const binary = await collectorBinary((line) => console.log(line));
  const nowhere = `http://127.0.0.1:${await closedPort()}`;
  const cloudwatch = opts.cloudwatchLogs;
  // The way out to each cloud goes through a gate, so a test can shut it.
  const out = await Promise.all([opts.honeycomb?.url ?? nowhere, opts.xray?.url ?? nowhere, cloudwatch?.url ?? nowhere].map((url) => startGate(url)));
  const [honeycombGate, xrayGate, logsGate] = out as [Gate, Gate, Gate];
  const service = await composeService({
    // The student's credentials and key, as a user's shell or .env holds them.
    ...AWS,
    HONEYCOMB_API_KEY: opts.honeycomb?.key ?? '',
    HONEYCOMB_API_ENDPOINT: honeycombGate.url,
    ...(opts.xray?.region ? { AWS_REGION: opts.xray.region } : {}),
    ...(opts.frontendUrl ? { FRONTEND_URL: opts.frontendUrl } : {}),
    ...(cloudwatch ? { CLOUDWATCH_LOGS: 'true', CLOUDWATCH_LOG_GROUP: cloudwatch.group, CLOUDWATCH_LOG_STREAM: cloudwatch.stream } : {}),
    ...(opts.localFiles ? { CRUDDUR_LOCAL_FILES: 'on' } : {}),
    ...opts.vars,
  });
  const [otlpPort, healthPort, metricsPort] = [await closedPort(), await closedPort(), await closedPort()];
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-otelcol-'));
  // Test-only: free loopback ports (compose publishes 4318 and 13133; the collector's own
  // metrics default to localhost:8888, which two collectors cannot share).
  const overlay = join(dir, 'test-ports.yaml');
  writeFileSync(
    overlay,
    [
      'receivers: {otlp: {protocols: {http: {endpoint: "127.0.0.1:' + otlpPort + '"}}}}',
      'extensions: {health_check: {endpoint: "127.0.0.1:' + healthPort + '"}}',
      'service: {telemetry: {metrics: {readers: [{pull: {exporter: {prometheus: {host: "127.0.0.1", port: ' + metricsPort + '}}}}]}}}',
    ].join('\n'),
  );
  const here = onThisMachine(service);
  const extra = join(dir, 'extra.yaml');
  if (opts.overlay) writeFileSync(extra, opts.overlay);
  const args = [...here.args, `--config=${overlay}`, ...(opts.overlay ? [`--config=${extra}`] : [])];
  const env: Record<string, string> = {
    ...here.env,
    // As test/stack/compose.stack.yml: the AWS exporters' endpoints, at the fakes.
    AWS_ENDPOINT_URL_XRAY: xrayGate.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logsGate.url,
    // No ~/.aws of the developer's: the credentials are compose's environment alone.
    HOME: dir,
    // Where the container has .cruddur/telemetry mounted (/telemetry), here a folder of the test's.
    ...(opts.localFiles ? { LOCAL_TELEMETRY_DIR: opts.localFiles } : {}),
  };
  const child = spawn(binary.path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const take = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  const receiverGate = await startGate(`http://127.0.0.1:${otlpPort}`);
  const healthUrl = `http://127.0.0.1:${healthPort}/`;
  const stopAll = async () => {
    if (code === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await Promise.all([receiverGate, ...out].map((g) => g.close()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (code !== undefined) throw new Error(`exited with code ${code}`);
        return (await fetch(healthUrl).catch(() => undefined))?.ok ? true : undefined;
      },
      30_000,
      'the collector’s health check',
      50,
    );
  } catch (err) {
    await stopAll();
    throw new Error(`otelcol-contrib did not start (${(err as Error).message}):\n  ${logs.slice(-8).join('\n  ')}`);
  }
  return {
    url: receiverGate.url,
    requests: receiverGate.requests,
    healthUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    logs,
    pid: child.pid!,
    setDeliver(deliver: boolean) {
      for (const gate of out) gate.setOpen(deliver);
    },
    close: stopAll,
  };
}
