import type { Test } from 'uvu';

/**
 * A suite's start and stop. uvu swallows an error thrown by a `before` hook (its runner
 * returns from a finally): the error is kept, and each test fails with it from `before.each`,
 * whose errors uvu prints. `stop` runs whatever `start` got to.
 */
export function setUp<T extends { setupError?: Error }>(s: Test<T>, start: (ctx: T) => Promise<void>, stop: (ctx: T) => Promise<void>): void {
  s.before(async (ctx) => {
    try {
      await start(ctx);
    } catch (err) {
      ctx.setupError = err as Error;
    }
  });
  s.before.each((ctx) => {
    if (ctx.setupError) throw ctx.setupError;
  });
  s.after(stop);
}
