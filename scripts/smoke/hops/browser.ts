// Through a real browser: the journey (scripts/lib/browser/journey.ts) at the front end the
// student opens, every span tagged with the smoke id by the address (?smoke_id=), and
// confirmed only where the page's spans land: in Honeycomb the front end's dataset, with a
// backend span the child of one of the page's in one trace; in X-Ray a trace holding both.
// What the page did with its spans (no posts, a refused proxy, a missing SDK chunk) names the
// broken link before any destination is asked.
import { findChromium, launchChromium } from '../../lib/browser/chromium.ts';
import { journeyFailure, journeySummary, taggedUrl, walkJourney } from '../../lib/browser/journey.ts';
import { newSmokeId } from '../../lib/otlp/canary.ts';
import type { Settings } from '../../lib/workspace/settings.ts';
import { baselineWrite, type HoneycombTarget } from '../confirm.ts';
import { confirmJoinedInHoneycomb, confirmJoinedInXray, type Services } from '../confirm-joined.ts';
import { configuredDestinations } from './collector.ts';
import { ok, type Hop } from './hop.ts';

const target = (settings: Settings): HoneycombTarget => ({ dataset: settings.frontendServiceName.value, signal: 'traces', what: 'the page’s spans' });
const services = (settings: Settings): Services => ({ page: settings.frontendServiceName.value, backend: settings.serviceName.value });

export const browserHop: Hop = {
  name: 'browser',
  // Every run where a browser can be had; without one the hop, named, says how to get one.
  configured: (settings) => 'path' in findChromium(settings.env),
  sendsTo: (settings) => settings.frontendServerUrl,
  destinations: configuredDestinations,
  honeycombTarget: target,
  async send(ctx) {
    const smokeId = newSmokeId('browser');
    const toHoneycomb = configuredDestinations(ctx.preflight, ctx.settings).honeycomb;
    const baseline = toHoneycomb ? await baselineWrite(ctx, target(ctx.settings).dataset) : undefined;
    const sentAt = Date.now();
    let browser;
    try {
      browser = await launchChromium(ctx.settings.env);
    } catch (err) {
      // Playwright's launch error carries the browser's whole log after its first line: the verdict keeps that line.
      return { traceId: '', smokeId, sentAt, error: `no browser to walk the journey in: ${(err as Error).message.split('\n')[0]}` };
    }
    try {
      const report = await walkJourney(browser, taggedUrl(ctx.settings.frontendServerUrl.value, { smokeId }));
      const traceId = report.apiCalls.find((c) => c.traceId)?.traceId ?? '';
      const failure = journeyFailure(report, ctx.settings);
      return { traceId, smokeId, sentAt, baseline, journey: journeySummary(report), ...(failure ? { error: failure } : {}) };
    } finally {
      await browser.close();
    }
  },
  confirm(ctx, receipt) {
    const d = configuredDestinations(ctx.preflight, ctx.settings);
    return Promise.all([
      ...(d.honeycomb ? [confirmJoinedInHoneycomb(ctx, receipt.smokeId, receipt.baseline, target(ctx.settings), services(ctx.settings))] : []),
      ...(d.xray ? [confirmJoinedInXray(ctx, receipt.smokeId, receipt.traceId, receipt.sentAt, services(ctx.settings))] : []),
    ]);
  },
  likelyCause(r, all, settings) {
    if (!r.sent) {
      if (/^no browser/.test(r.error ?? '')) return 'no browser here: the other hops do not need one';
      if (/journey stopped at "home feed".*the page did not load/.test(r.error ?? '')) return `the front end is not reachable at ${settings.frontendServerUrl.value}: start it (docker compose up -d frontend-react-js) or set FRONTEND_SERVER_URL`;
      if (/journey stopped at "home feed".*the feed never showed/.test(r.error ?? '')) return `the front end's proxy to the backend (API_PROXY_TARGET) or the backend itself: docker compose logs backend-flask-ts frontend-react-js`;
      return 'the page itself, as the error says: open the address in a browser and watch its console and network tab';
    }
    if (/unjoined/.test(r.error ?? '')) return 'the join: the page and the backend each deliver, but not as one trace';
    if (ok(all, 'collector')) return 'the page’s path to the collector: the collector delivers the smoke’s own spans, not the page’s';
    return 'the collector: the page’s spans go through it, and the collector hop failed too';
  },
};
