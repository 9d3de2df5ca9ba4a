// A Honeycomb marker per smoke run that reached Honeycomb: students see their test runs on the graphs.
import { randomBytes } from 'node:crypto';
import { HoneycombApi, HoneycombError } from '../lib/honeycomb/api.ts';
import { may, NEEDS } from '../lib/honeycomb/permissions.ts';
import type { Settings } from '../lib/workspace/settings.ts';
import type { Term } from '../lib/terminal/term.ts';
import type { Preflight } from './preflight.ts';
import type { HopResult } from './result.ts';

/** Markers API (POST /1/markers/{dataset}): a message, a type, start_time in Unix seconds. */
export async function leaveMarker(pf: Preflight, settings: Settings, results: HopResult[], startedAt: number, term: Term): Promise<void> {
  const h = pf.honeycomb;
  // An ingest key, or a configuration key without "Manage Markers", cannot: nothing to say.
  if (!h || !may(h.auth, NEEDS.markers) || !results.some((r) => r.sent)) return;
  const failed = results.filter((r) => !r.confirmed).map((r) => r.hop);
  const message = `smoke ${new Date(startedAt).toISOString().slice(0, 19)}Z-${randomBytes(2).toString('hex')} ${failed.length ? `failed (${failed.join(', ')})` : 'passed'}`;
  const dataset = settings.serviceName.value;
  // Its own short deadline: the smoke's may have passed already (a run that timed out).
  const api = new HoneycombApi(settings.honeycombEndpoint.value, h.key, 3000);
  const mark = (slug: string) => api.request('POST', `/1/markers/${encodeURIComponent(slug)}`, { message, type: 'smoke', start_time: Math.floor(startedAt / 1000) });
  try {
    try {
      await mark(dataset);
      term.out(term.color.dim(`marker "${message}" left on dataset ${dataset}'s graphs`));
    } catch (err) {
      // A dataset that does not exist yet (a new environment whose spans have not arrived) has no
      // graphs: the marker goes on the whole environment's (__all__), which createMarker allows.
      if (!(err instanceof HoneycombError && err.status === 404)) throw err;
      await mark('__all__');
      term.out(term.color.dim(`marker "${message}" left on the environment's graphs (dataset ${dataset} does not exist yet)`));
    }
  } catch (err) {
    term.out(term.color.dim(`no marker left on dataset ${dataset}: ${(err as Error).message}`));
  }
}
