import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startBackend, type Backend } from './backend.ts';
import { launchChromium } from './browser.ts';
import { buildFrontend } from './frontend.ts';
import type { Running } from './http.ts';
import { serveStatic } from './static-server.ts';
import { startTracePipeline, type TracePipeline } from './trace-pipeline.ts';

export interface TracedSite {
  collector: TracePipeline;
  backend: Backend;
  /** The production build on one origin, /api and /v1/traces proxied as nginx does. */
  site: Running;
  browser: Browser;
}

/**
 * The front end as the workspace serves it in production, traced end to end: the build, the
 * real backend, the real collector in front of a recording receiver, and Chromium. Fills
 * `into` as it goes, so closeTracedSite() stops what started even when a later step failed.
 */
export async function startTracedSite(into: Partial<TracedSite>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-site-'));
  into.collector = await startTracePipeline();
  into.backend = await startBackend({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: into.collector.url } });
  into.site = await serveStatic(dir, { '/api/': into.backend.url, '/v1/traces': into.collector.url });
  await buildFrontend({}, dir);
  into.browser = await launchChromium();
}

export async function closeTracedSite(s: Partial<TracedSite>): Promise<void> {
  await s.browser?.close();
  await s.backend?.stop();
  await Promise.all([s.site?.close(), s.collector?.close()]);
}
