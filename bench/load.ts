import { Pool } from 'undici';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function summarize(latencies: number[], elapsedMs: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, rps: latencies.length / (elapsedMs / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function get(pool: Pool, path: string): Promise<void> {
  const { statusCode, body } = await pool.request({ path, method: 'GET' });
  await body.dump();
  if (statusCode !== 200) throw new Error(`GET ${path} answered ${statusCode}`);
}

/** Closed loop: `connections` requests always in flight for `seconds`: the server's capacity. */
export async function saturate(url: string, path: string, { seconds = 5, connections = 16 } = {}): Promise<LoadResult> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await get(pool, path);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = performance.now() - started;
  await pool.close();
  return summarize(latencies, elapsed);
}

/**
 * Open loop: requests start on a fixed schedule whatever the server does, and latency runs
 * from the scheduled start, so a stalled server cannot hide its queue (coordinated omission).
 */
export async function atRate(url: string, path: string, { rate = 1000, seconds = 5, connections = 64 } = {}): Promise<LoadResult> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // From the schedule when late (the queue counts), from the send when the timer fired early.
    const from = Math.min(due, performance.now());
    inFlight.push(get(pool, path).then(() => void latencies.push(performance.now() - from)));
  }
  await Promise.all(inFlight);
  const elapsed = performance.now() - started;
  await pool.close();
  return summarize(latencies, elapsed);
}
