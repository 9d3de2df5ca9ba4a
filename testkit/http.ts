import { listen } from '../scripts/lib/http-server.ts';

export { listen, readBody, type Running } from '../scripts/lib/http-server.ts';

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

export function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = probe();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}
