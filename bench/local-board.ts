// bench/local-board: what npm run board:local costs.
//  1. The full board (every question of BOARD_QUERIES) on 1,000,000 spans: files written as the
//     collector writes them (OTLP JSON lines), then read cold (each file into its Parquet copy)
//     and warm (the copies reused), each in a process of its own, timed, with its peak memory.
//  2. The file export's cost to the collector: the real collector's CPU per span at the backend's
//     saturation load, with CRUDDUR_LOCAL_FILES=on against off, measured side by side in one run.
//   npm run bench:local-board -- [--spans 1000000] [--seconds 10]
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { startBackend } from '../testkit/backend.ts';
import { startClouds } from '../testkit/clouds.ts';
import { startCollector } from '../testkit/collector.ts';
import { KEYS } from '../testkit/honeycomb.ts';
import { weekTraffic } from '../testkit/week-traffic.ts';
import { saturate } from './load.ts';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '1000000' }, seconds: { type: 'string', default: '10' }, child: { type: 'string' } } });

// A child: open the store, answer every question, report time and peak memory.
if (values.child) {
  const started = performance.now();
  const { openStore } = await import('../scripts/lib/local/store.ts');
  const { answerBoard } = await import('../scripts/lib/local/board.ts');
  const store = await openStore(values.child);
  const opened = performance.now();
  const answers = await answerBoard(store, { backend: 'backend-flask', frontend: 'frontend-react-js', metrics: 'cruddur-metrics' });
  const done = performance.now();
  const peak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  console.log(JSON.stringify({ spans: store.counts.spans, openMs: opened - started, boardMs: done - opened, totalMs: done - started, peakMb: peak, answered: answers.filter((a) => a.rows.length).length }));
  store.close();
  process.exit(0);
}

const wanted = Number(values.spans);
const dir = mkdtempSync(join(tmpdir(), 'cruddur-bench-board-'));
// Files as the collector leaves them: rotated at 5 MB (otel-collector/local-files-on.yaml), the
// backups named traces-<time>.jsonl, the newest lines in traces.jsonl.
const ROTATE_BYTES = 5 * 1024 * 1024;
process.stdout.write(`writing ${wanted} spans as the collector writes them, in 5 MB files... `);
let written = 0;
let chunk: string[] = [];
let chunkBytes = 0;
let backups = 0;
let totalBytes = 0;
const metrics: string[] = [];
const flush = (name: string) => {
  writeFileSync(join(dir, name), chunk.length ? `${chunk.join('\n')}\n` : '');
  totalBytes += chunkBytes;
  chunk = [];
  chunkBytes = 0;
};
const last: string[] = [];
for (let seed = 1; written < wanted; seed++) {
  // A day of traffic, every minute: about 36,000 spans a day; as many days as it takes.
  const t = weekTraffic({ endMs: Date.now() - 60_000, hours: 24, everyMinutes: 1, seed });
  for (const r of t.traces) {
    const line = JSON.stringify(r);
    if (chunkBytes + line.length > ROTATE_BYTES) flush(`traces-2026-12-06T10-${String(backups++).padStart(2, '0')}-00.000.jsonl`);
    chunk.push(line);
    chunkBytes += line.length + 1;
    if (last.length < 500) last.push(line);
  }
  for (const r of t.metrics) metrics.push(JSON.stringify(r));
  written += t.counts.spans;
}
flush('traces.jsonl');
writeFileSync(join(dir, 'metrics.jsonl'), `${metrics.join('\n')}\n`);
console.log(`${written} spans, ${(totalBytes / 1024 / 1024).toFixed(0)} MB in ${backups + 1} files`);

const board = (label: string) => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bench/local-board.ts'), '--child', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const m = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  console.log(`${label.padEnd(48)} ${(m.totalMs / 1000).toFixed(2)} s (read ${(m.openMs / 1000).toFixed(2)} s, ${BOARD_COUNT} questions ${(m.boardMs / 1000).toFixed(2)} s), peak ${m.peakMb.toFixed(0)} MB, ${m.spans} spans`);
  return m;
};
const BOARD_COUNT = (await import('../scripts/lib/honeycomb/board.ts')).BOARD_QUERIES.length;
console.log('\n== the full board on the local files');
board('cold (every file into its Parquet copy)');
const warm = [board('warm (the copies reused)'), board('warm, again'), board('warm, a third time')];
// What a student sees on the next run: the file being written grew, so it alone is read again.
appendFileSync(join(dir, 'traces.jsonl'), `${last.join('\n')}\n`);
const grown = board('the current file grew (it alone read again)');
// A rotation: the current file renamed to a backup (its copy follows its inode), a new one begun.
renameSync(join(dir, 'traces.jsonl'), join(dir, 'traces-2026-12-06T11-00-00.000.jsonl'));
writeFileSync(join(dir, 'traces.jsonl'), `${last.slice(0, 100).join('\n')}\n`);
const rotated = board('rotated (the new file alone read)');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seen = [...warm, grown, rotated];
console.log(`warm: ${(median(warm.map((m) => m.totalMs)) / 1000).toFixed(2)} s, after growth ${(grown.totalMs / 1000).toFixed(2)} s, after a rotation ${(rotated.totalMs / 1000).toFixed(2)} s; peak ${Math.max(...seen.map((m) => m.peakMb)).toFixed(0)} MB (goal: under 2 s, under 500 MB)`);
rmSync(dir, { recursive: true, force: true });

// 2. The collector with and without the file export, at the backend's saturation load.
console.log('\n== the file export\'s cost to the collector, at the backend\'s saturation load');
const TICKS = 100;
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS;
};
const clouds = await startClouds();
const perSpan: Record<string, number[]> = { off: [], on: [] };
for (let round = 0; round < 3; round++) {
  for (const mode of ['off', 'on'] as const) {
    const files = mkdtempSync(join(tmpdir(), 'cruddur-bench-files-'));
    const collector = await startCollector({ honeycomb: { url: clouds.honeycomb.url, key: KEYS.enterprise }, ...(mode === 'on' ? { localFiles: files } : {}) });
    const backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_METRICS_EXPORTER: 'none' }, collectLogs: false });
    const before = cpuMs(collector.pid);
    const load = await saturate(backend.url, '/api/activities/home', { seconds: Number(values.seconds) });
    await new Promise((r) => setTimeout(r, 2500)); // the last batches
    const used = cpuMs(collector.pid) - before;
    // Each request is two spans (the server span and the feed's custom span).
    perSpan[mode]!.push((used * 1000) / (load.requests * 2));
    console.log(`  round ${round + 1}, local files ${mode.padEnd(3)}: ${load.rps.toFixed(0)} req/s, collector ${used.toFixed(0)} ms CPU, ${((used * 1000) / (load.requests * 2)).toFixed(1)} µs a span`);
    await backend.stop();
    await collector.close();
    rmSync(files, { recursive: true, force: true });
  }
}
await clouds.close();
console.log(`collector CPU a span, files on / off: ${(median(perSpan.on!) / median(perSpan.off!)).toFixed(2)} (${median(perSpan.on!).toFixed(1)} / ${median(perSpan.off!).toFixed(1)} µs)`);
