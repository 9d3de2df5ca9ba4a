// bench/backend-overhead: what tracing costs this backend, beside what it costs the setup a
// student would otherwise write (bench/naive-peer: NodeSDK + every auto-instrumentation).
//   npm run bench:backend -- [--seconds 2] [--rounds 9] [--rate 1000] [--profile]
// Five processes, each load alternating between them so the machine's drift hits all alike:
//   ours   untraced / traced / traced without its runtime metrics / traced with its logs as OTLP too (as shipped)
//          (backend-flask-ts without and with --import register.ts; "traced" has
//          OTEL_LOGS_EXPORTER=none, like for like with the peer, which logs nothing)
//          / traced in batches of 64 spans, not 512 (OTEL_BSP_MAX_EXPORT_BATCH_SIZE):
//          shorter pauses to serialise a batch, more requests to send them
//   naive  untraced / traced      (the same handler and custom span, without / with --require)
// Two loads, because they answer two questions:
//   fixed rate  - the same offered load: does tracing change latency (p99)?
//   saturation  - capacity: the traced/untraced throughput ratio, and CPU per request.
// Ratios are paired: each round measures every process back to back, so a round's ratio
// (traced over untraced) sees one state of this shared machine; the medians and ranges below
// are of those per-round ratios. (Throughput here swung 2x within minutes.)
// Fidelity is checked, not assumed: every span each traced process made must reach its sink.
// --profile adds a CPU profile of the traced backend at saturation and prints its top frames.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeTraces } from '../scripts/lib/otlp/decode.ts';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { listen } from '../testkit/http.ts';
import { atRate, saturate, type LoadResult } from './load.ts';
import { topFrames } from './profile.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '9' },
    rate: { type: 'string', default: '1000' },
    profile: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const rate = Number(values.rate);
const PATH = '/api/activities/home';
const SPANS_PER_REQUEST = { ours: 2 } as const; // the server span and home-activities-mock-data
const PEER_DIR = join(REPO_ROOT, 'bench', 'naive-peer');

if (!existsSync(join(PEER_DIR, 'node_modules'))) {
  // 370 packages: kept out of the workspace's npm ci, installed on the first run of this bench.
  console.log('installing the naive peer (bench/naive-peer, once, about 30 s)...');
  const npm = spawn('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEER_DIR, stdio: 'inherit' });
  const code = await new Promise((resolve) => npm.once('exit', resolve));
  if (code !== 0) throw new Error(`npm ci in bench/naive-peer failed (exit ${code}): the naive peer cannot run`);
}

// A sink per traced process keeps each export body, and decodes them only after the loads:
// decoding in this process during a load would take CPU from the load generator.
async function sink() {
  const bodies: Buffer[] = [];
  const others = new Set<string>(); // the naive NodeSDK also exports metrics and logs by default
  const server = await listen((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(Buffer.concat(parts));
      else others.add(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  return { url: server.url, close: server.close, bodies, others };
}

interface Proc {
  url: string;
  pid: number;
  requests: number;
  stop(): Promise<void>;
}

async function start(args: string[], cwd: string, env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', OTEL_BSP_SCHEDULE_DELAY: '1000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /"port":(\d+)/.exec(seen);
      if (!m) return;
      child.stdout.off('data', onData);
      child.stdout.resume(); // keep draining its request log
      resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    void exited.then(() => reject(new Error(`${args.join(' ')} exited before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    requests: 0,
    async stop() {
      child.kill('SIGTERM'); // flushes what the batch processor holds
      await exited;
    },
  };
}

const backendDir = join(REPO_ROOT, 'backend-flask-ts');
const sinks = { ours: await sink(), naive: await sink() };
const procs = {
  'ours off': await start(['src/server.ts'], backendDir, {}),
  'ours on': await start(['--import', './src/telemetry/register.ts', 'src/server.ts'], backendDir, { OTEL_EXPORTER_OTLP_ENDPOINT: sinks.ours.url, OTEL_LOGS_EXPORTER: 'none' }),
  // As 'ours on' without the runtime metrics (event-loop delay monitor, heap, process CPU and memory).
  'ours -metr': await start(['--import', './src/telemetry/register.ts', 'src/server.ts'], backendDir, { OTEL_EXPORTER_OTLP_ENDPOINT: sinks.ours.url, OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' }),
  'ours +logs': await start(['--import', './src/telemetry/register.ts', 'src/server.ts'], backendDir, { OTEL_EXPORTER_OTLP_ENDPOINT: sinks.ours.url, OTEL_BLRP_SCHEDULE_DELAY: '1000' }),
  'ours b64': await start(['--import', './src/telemetry/register.ts', 'src/server.ts'], backendDir, { OTEL_EXPORTER_OTLP_ENDPOINT: sinks.ours.url, OTEL_LOGS_EXPORTER: 'none', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64' }),
  'naive off': await start(['app.js'], PEER_DIR, {}),
  'naive on': await start(['--require', './instrumentation.js', 'app.js'], PEER_DIR, { OTEL_EXPORTER_OTLP_ENDPOINT: sinks.naive.url }),
};
type Name = keyof typeof procs;
const names = Object.keys(procs) as Name[];

// CPU time of a process from /proc, in µs: per request it is steadier than throughput here.
const cpuUs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime + stime, 100 Hz ticks
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Round = Record<Name, LoadResult & { cpu: number }>;

async function compare(label: string, run: (url: string) => Promise<LoadResult>): Promise<Round[]> {
  const measured: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    const results = {} as Round;
    for (const name of names) {
      const p = procs[name];
      const cpu0 = cpuUs(p.pid);
      const r = await run(p.url);
      p.requests += r.requests;
      results[name] = { ...r, cpu: (cpuUs(p.pid) - cpu0) / r.requests };
      line.push(`${name} ${r.rps.toFixed(0)}/s p99 ${r.p99.toFixed(1)}`);
    }
    measured.push(results);
    console.log(`  ${label} round ${round}: ${line.join(' | ')}`);
  }
  return measured;
}

/** A figure over the rounds: its median and its range. */
function spread(rs: Round[], f: (r: Round) => number, digits: number): { median: number; text: string } {
  const xs = rs.map(f).sort((a, b) => a - b);
  const m = median(xs);
  return { median: m, text: `${m.toFixed(digits)} [${xs[0]!.toFixed(digits)}-${xs.at(-1)!.toFixed(digits)}]` };
}

for (const name of names) procs[name].requests += (await saturate(procs[name].url, PATH, { seconds: 1 })).requests; // JIT warm-up
console.log(`GET ${PATH}: ${rounds} rounds of ${seconds} s per process and load; medians below\n`);
const fixed = await compare(`${rate}/s`, (url) => atRate(url, PATH, { rate, seconds }));
const full = await compare('saturated', (url) => saturate(url, PATH, { seconds }));

let profile: string | undefined;
let profiledRequests = 0;
if (values.profile) {
  const dir = mkdtempSync(join(tmpdir(), 'backend-prof-'));
  const profiled = await start(['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', './src/telemetry/register.ts', 'src/server.ts'], backendDir, { OTEL_EXPORTER_OTLP_ENDPOINT: sinks.ours.url });
  profiledRequests += (await saturate(profiled.url, PATH, { seconds: 1 })).requests;
  const t0 = Date.now();
  profiledRequests += (await saturate(profiled.url, PATH, { seconds: 5 })).requests;
  await profiled.stop(); // its spans go to the same sink, and count below
  const file = readdirSync(dir).map((f) => join(dir, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0]!; // the main thread's
  profile = topFrames(JSON.parse(readFileSync(file, 'utf8')), { lastMs: Date.now() - t0, top: 15 });
}
await Promise.all(names.map((n) => procs[n].stop()));
await Promise.all([sinks.ours.close(), sinks.naive.close()]);

const spans = (bodies: Buffer[]) => bodies.reduce((n, b) => n + decodeTraces(b, 'application/x-protobuf').length, 0);
const received = { ours: spans(sinks.ours.bodies), naive: spans(sinks.naive.bodies) };

const pad = (s: string, n: number) => s.padStart(n);
const med = (rs: Round[], n: Name, k: 'rps' | 'p50' | 'p99' | 'cpu') => median(rs.map((r) => r[n][k]));
console.log(`\nprocess    | fixed ${rate}/s p50 | p99 ms | saturated req/s | µs CPU/req   (medians of ${rounds} rounds)`);
console.log('-----------|---------------|--------|-----------------|-----------');
for (const n of names) {
  console.log(`${n.padEnd(10)} | ${pad(med(fixed, n, 'p50').toFixed(2), 13)} | ${pad(med(fixed, n, 'p99').toFixed(2), 6)} | ${pad(med(full, n, 'rps').toFixed(0), 15)} | ${pad(med(full, n, 'cpu').toFixed(0), 9)}`);
}
const share = (on: Name, off: Name) => spread(full, (r) => r[on].rps / r[off].rps, 3);
const cost = (on: Name, off: Name) => spread(full, (r) => r[on].cpu - r[off].cpu, 0).median.toFixed(0);
const p99 = (on: Name, off: Name) => spread(fixed, (r) => r[on].p99 - r[off].p99, 2).text;
console.log(`
traced/untraced throughput at saturation (the share tracing leaves), per round: median [range]
  ours        ${share('ours on', 'ours off').text}   (tracing costs ~${cost('ours on', 'ours off')} µs CPU per request, runtime metrics on)
  ours -metr  ${share('ours -metr', 'ours off').text}   (~${cost('ours -metr', 'ours off')} µs, OTEL_METRICS_EXPORTER=none; metrics on/off ${spread(full, (r) => r['ours on'].rps / r['ours -metr'].rps, 3).text})
  ours +logs  ${share('ours +logs', 'ours off').text}   (~${cost('ours +logs', 'ours off')} µs, with a log record per request)
  ours b64    ${share('ours b64', 'ours off').text}   (~${cost('ours b64', 'ours off')} µs, batches of 64 spans)
  naive       ${share('naive on', 'naive off').text}   (~${cost('naive on', 'naive off')} µs)
  ours/naive: ${spread(full, (r) => r['ours on'].rps / r['ours off'].rps / (r['naive on'].rps / r['naive off'].rps), 2).text}x (traces only, like for like)
p99 at ${rate}/s, traced minus untraced in ms, per round: median [range]
  ours ${p99('ours on', 'ours off')}, ours -metrics ${p99('ours -metr', 'ours off')}, ours +logs ${p99('ours +logs', 'ours off')}, ours b64 ${p99('ours b64', 'ours off')}, naive ${p99('naive on', 'naive off')}`);

const expected = (procs['ours on'].requests + procs['ours -metr'].requests + procs['ours +logs'].requests + procs['ours b64'].requests + profiledRequests) * SPANS_PER_REQUEST.ours;
console.log(`\nfidelity: ours exported ${received.ours} of ${expected} spans (${SPANS_PER_REQUEST.ours} per request)${received.ours === expected ? '' : '  <- spans were dropped'}`);
console.log(`          naive exported ${received.naive} spans for ${procs['naive on'].requests} requests (${(received.naive / procs['naive on'].requests).toFixed(1)} per request)${sinks.naive.others.size ? `, and also posted to ${[...sinks.naive.others].join(', ')}` : ''}`);
if (profile) console.log(`\ntraced backend at saturation, CPU profile (self time, last 5 s):\n${profile}`);
