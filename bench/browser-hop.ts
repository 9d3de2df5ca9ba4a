// bench/browser-hop: what the journey in a browser costs.
//   1. the smoke's browser hop (npm run smoke -- --hops browser): the journey, then its spans
//      confirmed joined in the Honeycomb and X-Ray stand-ins, through the real collector
//   2. npm run synthetic's runs: the whole command's CPU (node and every browser process, counted
//      by a cgroup of its own where the machine allows) and memory (PSS, sampled), the browser's share
// Both against the front end as compose runs it (Vite's dev server), the real backend and collector.
//   npm run bench:browser -- [--runs 5]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentTerm } from '../scripts/lib/terminal/term.ts';
import { REPO_ROOT } from '../scripts/lib/workspace/settings.ts';
import { smoke } from '../scripts/smoke/main.ts';
import { startWorld } from '../scripts/test/world.ts';
import { CHROMIUM } from '../testkit/browser.ts';
import { startDevServer } from '../testkit/frontend.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const world = await startWorld();
const dev = await startDevServer({ API_PROXY_TARGET: world.backend.url, OTEL_PROXY_TARGET: world.collector.url });
try {
  // 1. The hop, as a student runs it.
  const hop: { total: number; journey: number; confirm: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    // Honeycomb's minute is a second long in the world: a real one adds up to 60 s before the
    // Query Data API counts the page's spans (the hop waits for the minute to end).
    const { code, report } = await smoke(['--hops', 'browser'], { term: silentTerm(), settings: world.settings({ CHROMIUM_PATH: CHROMIUM, FRONTEND_SERVER_URL: dev.url }), overrides: { minuteMs: world.honeycomb.minuteMs } });
    const total = performance.now() - t0;
    const result = report?.hops.find((h) => h.hop === 'browser');
    if (code !== 0 || !result?.confirmed) throw new Error(`the browser hop failed: ${result?.error ?? 'no result'}`);
    const journey = result.journey!.steps.reduce((sum, step) => sum + step.ms, 0);
    hop.push({ total, journey, confirm: result.ms - journey });
    console.log(`hop run ${i + 1}: ${s(total)} in all; the journey's steps ${s(journey)}, the rest (the browser's start and close, the page's last batch, the confirmation at both destinations) ${s(result.ms - journey)}`);
  }

  // 2. npm run synthetic, in its own process (its runs kept in a scratch file, not the workspace's),
  // in a cgroup of its own where the kernel counts the CPU of every process it starts: the
  // browser's renderers outlive their parents and escape a parent's count of its reaped children.
  const runsFile = join(mkdtempSync(join(tmpdir(), 'bench-synthetic-')), 'runs.jsonl');
  const script = `import { synthetic } from './scripts/synthetic.ts'; process.exitCode = await synthetic(process.argv.slice(1), { runsFile: ${JSON.stringify(runsFile)} });`;
  const group = cpuGroup();
  const child = spawn('bash', ['-c', `${group ? `echo $$ > ${group.procs}; ` : ''}exec "${process.execPath}" --input-type=module -e "$1" -- --runs ${runs} --json`, 'bench', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, FRONTEND_SERVER_URL: dev.url, CHROMIUM_PATH: CHROMIUM },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  let peakAll = 0;
  let peakBrowser = 0;
  const cpuTicks = new Map<number, { ticks: number; browser: boolean }>();
  const t0 = performance.now();
  const sampler = setInterval(() => {
    const tree = descendants(child.pid!);
    let all = 0;
    let browser = 0;
    for (const p of tree) {
      const pss = pssKb(p.pid);
      all += pss;
      if (p.browser) browser += pss;
      cpuTicks.set(p.pid, { ticks: Math.max(cpuTicks.get(p.pid)?.ticks ?? 0, p.ticks), browser: p.browser });
    }
    peakAll = Math.max(peakAll, all);
    peakBrowser = Math.max(peakBrowser, browser);
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const wall = performance.now() - t0;
  if (code !== 0) throw new Error(`npm run synthetic failed (${code}): ${out}${err}`);
  const done = out.trim().split('\n').map((l) => JSON.parse(l) as { journeyMs: number; feedMs: number; lcpMs: number });
  const tick = Number(await output('getconf', ['CLK_TCK'])) || 100;
  const sampled = (browserOnly: boolean) => ([...cpuTicks.values()].filter((p) => !browserOnly || p.browser).reduce((a, p) => a + p.ticks, 0) / tick) * 1000;
  const counted = group?.usedMs();
  group?.remove();
  const cpuMs = counted ?? sampled(false);
  const browserMs = sampled(true);

  console.log('');
  console.log(`the smoke's browser hop, median of ${runs}: ${s(median(hop.map((h) => h.total)))} (the journey's steps ${s(median(hop.map((h) => h.journey)))}, the rest ${s(median(hop.map((h) => h.confirm)))});`);
  console.log(`  against real Honeycomb add up to 60 s: the Query Data API counts a span once its minute has ended`);
  console.log(`npm run synthetic, ${runs} runs back to back in ${s(wall)} (the browser started once):`);
  console.log(`  per run: journey ${s(median(done.map((d) => d.journeyMs)))} (first feed ${s(median(done.map((d) => d.feedMs)))}, LCP ${s(median(done.map((d) => d.lcpMs)))}), CPU ${s(cpuMs / runs)}`);
  console.log(`  CPU in all ${s(cpuMs)} (${counted === undefined ? 'sampled every 100 ms: no cgroup to count it in' : 'counted by its cgroup'}), ${Math.round((cpuMs / wall / 2) * 100)} % of the 2 cores while it ran; the browser's processes at least ${s(browserMs)} of it (sampled)`);
  console.log(`  memory at its peak (PSS): ${Math.round(peakAll / 1024)} MB, the browser's ${Math.round(peakBrowser / 1024)} MB`);
  console.log(`  at --every 5m that is ${((cpuMs / runs / 300_000) * 100).toFixed(2)} % of one core on average (the browser's start shared among the runs)`);
} finally {
  await dev.stop();
  await world.close();
}

/** `root` and every process under it, with its CPU ticks so far and whether it is the browser. */
function descendants(root: number): { pid: number; ticks: number; browser: boolean }[] {
  const all = new Map<number, { ppid: number; ticks: number; comm: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), comm });
    } catch {
      // gone since the listing
    }
  }
  const found: { pid: number; ticks: number; browser: boolean }[] = [];
  const walk = (pid: number, inBrowser: boolean) => {
    for (const [child, p] of all) {
      if (p.ppid !== pid) continue;
      const browser = inBrowser || /chrom/i.test(p.comm);
      found.push({ pid: child, ticks: p.ticks, browser });
      walk(child, browser);
    }
  };
  const self = all.get(root);
  if (self) found.push({ pid: root, ticks: self.ticks, browser: false });
  walk(root, false);
  return found;
}

/** A cpuacct cgroup (v1) or a cgroup v2 with cpu.stat, where this machine lets us make one. */
function cpuGroup(): { procs: string; usedMs(): number; remove(): void } | undefined {
  for (const [root, read] of [
    ['/sys/fs/cgroup/cpuacct', (dir: string) => Number(readFileSync(join(dir, 'cpuacct.usage'), 'utf8')) / 1e6],
    ['/sys/fs/cgroup', (dir: string) => Number(/^usage_usec (\d+)/m.exec(readFileSync(join(dir, 'cpu.stat'), 'utf8'))?.[1]) / 1e3],
  ] as const) {
    const dir = join(root, `bench-browser-${process.pid}`);
    try {
      mkdirSync(dir);
      read(dir);
      return { procs: join(dir, 'cgroup.procs'), usedMs: () => read(dir), remove: () => rmdirSync(dir) };
    } catch {
      try {
        rmdirSync(dir);
      } catch {
        // never made
      }
    }
  }
  return undefined;
}

function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function output(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    c.stdout.on('data', (d) => (text += d));
    c.on('close', () => resolve(text.trim()));
  });
}
