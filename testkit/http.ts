import { listen } from '../scripts/lib/net/http-server.ts';

export { listen, readBody, type Running } from '../scripts/lib/net/http-server.ts';

/** Where a fake listens: a free loopback port unless a test host (a container) names one. */
export interface ListenOn {
  port?: number;
  host?: string;
}

/** A loopback port with nothing listening: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const probe = await listen(() => {});
  await probe.close();
  return probe.port;
}

/**
 * A fake's delay before it answers. Unref'd: a fake closed while it waits (a test that set a
 * latency longer than its client waits) does not hold its test file's process open.
 */
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The probe's first value that is not undefined, asked every `everyMs`; a probe may be async. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 20): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
