/** What `./telemetry/tracing.ts` resolves to in a build with VITE_TRACING=off (vite.config.ts). */
export function startTracing(): void {}
