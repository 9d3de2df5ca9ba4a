// bench/collector-cpu: what the collector's host_metrics receiver costs, in CPU. The real
// collector (the project's config and compose command, as npm test runs it) idles for a
// while with the receiver on, then off (the metrics pipeline's receivers restated without it),
// and its CPU time is read from /proc. With nothing else sent, the difference is the receiver's
// scrapes (every 30 s, the config's collection_interval) and their export.
//   npm run bench:collector -- [--seconds 120]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startCollector } from '../testkit/collector.ts';
import { KEYS } from '../testkit/honeycomb.ts';
import { startClouds } from '../testkit/clouds.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '120' } } });
const seconds = Number(values.seconds);
const TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

const clouds = await startClouds();
const variants = { 'host_metrics on (the project’s config)': undefined, 'host_metrics off': 'service: {pipelines: {metrics: {receivers: [otlp]}}}' };
const results: [string, number, number][] = [];
for (const [name, overlay] of Object.entries(variants)) {
  const collector = await startCollector({ honeycomb: { url: clouds.honeycomb.url, key: KEYS.enterprise }, ...(overlay ? { overlay } : {}) });
  await new Promise((r) => setTimeout(r, 5000)); // past start-up
  const start = cpuMs(collector.pid);
  const rss0 = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${collector.pid}/status`, 'utf8'))![1]);
  process.stdout.write(`${name}: idling ${seconds} s... `);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = cpuMs(collector.pid) - start;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${collector.pid}/status`, 'utf8'))![1]);
  console.log(`${used.toFixed(0)} ms of CPU`);
  results.push([name, used, Math.max(rss0, rss)]);
  await collector.close();
}
await clouds.close();
console.log(`\ncollector CPU over ${seconds} s idle (the host's memory, CPU and load every 30 s):`);
for (const [name, used, rss] of results) console.log(`  ${name.padEnd(40)} ${((used / seconds) * 60).toFixed(0).padStart(5)} ms CPU a minute (${((used / (seconds * 1000)) * 100).toFixed(2)} % of one core), RSS ${(rss / 1024).toFixed(0)} MB`);
