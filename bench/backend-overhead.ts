// bench/backend-overhead: the same loopback load against the backend with tracing off and on
// (exporting to a local OTLP sink), alternating rounds so machine drift hits both alike.
//   npm run bench:backend -- [--seconds 5] [--rounds 3] [--rate 1000]
// Two loads, because they answer two questions:
//   fixed rate  - the same offered load: does tracing change throughput and latency?
//   saturation  - capacity: how much CPU does tracing cost per request?
import { parseArgs } from 'node:util';
import { startBackend } from '../testkit/backend.ts';
import { listen } from '../testkit/http.ts';
import { atRate, saturate, type LoadResult } from './load.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, rate: { type: 'string', default: '1000' } },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const rate = Number(values.rate);
const PATH = '/api/activities/home';

// A sink that drains and acknowledges exports without decoding them: decoding in this
// process would take CPU from the load generator and blame the backend for it.
let exports = 0;
let bytes = 0;
const sink = await listen((req, res) => {
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    exports++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
const off = await startBackend({ traced: false, collectLogs: false });
const on = await startBackend({ collectLogs: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: '1000' } });
const backends = [['off', off], ['on', on]] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (rs: LoadResult[]) => ({ rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) });

async function compare(label: string, run: (url: string) => Promise<LoadResult>) {
  const results = { off: [] as LoadResult[], on: [] as LoadResult[] };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, be] of backends) {
      const r = await run(be.url);
      results[name].push(r);
      console.log(`  ${label} round ${round} tracing ${name.padEnd(3)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);
    }
  }
  return { off: summary(results.off), on: summary(results.on) };
}

for (const [, be] of backends) await saturate(be.url, PATH, { seconds: 1 }); // warm up the JIT
console.log(`GET ${PATH}, ${rounds} rounds of ${seconds}s per setting; medians below\n`);
const fixed = await compare(`${rate}/s`, (url) => atRate(url, PATH, { rate, seconds }));
const full = await compare('saturated', (url) => saturate(url, PATH, { seconds }));
await Promise.all([off.stop(), on.stop()]);
await sink.close();

const table = (title: string, s: typeof fixed) => {
  console.log(`\n${title}\ntracing | req/s  | p50 ms | p99 ms\n--------|--------|--------|-------`);
  for (const k of ['off', 'on'] as const) {
    console.log(`${k.padEnd(7)} | ${s[k].rps.toFixed(0).padStart(6)} | ${s[k].p50.toFixed(2).padStart(6)} | ${s[k].p99.toFixed(2).padStart(6)}`);
  }
  console.log(`on/off throughput ratio: ${(s.on.rps / s.off.rps).toFixed(3)}`);
};
table(`Fixed offered load, ${rate} req/s (open loop; latency from the scheduled start):`, fixed);
table('Saturation, 16 connections (closed loop: capacity):', full);
const costUs = (1 / full.on.rps - 1 / full.off.rps) * 1e6;
console.log(`tracing's CPU cost per request at saturation: ~${costUs.toFixed(0)} µs (3 spans: server, express handler, custom)`);
console.log(`exports received by the sink: ${exports} (${(bytes / 1e6).toFixed(1)} MB of OTLP protobuf)`);
