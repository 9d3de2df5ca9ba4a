// Links into Honeycomb's UI, for the doctor's and the smoke's lines: never fetched, only printed.
import { uiBase } from './api.ts';

export interface HoneycombPlace {
  endpoint: string;
  team: string;
  environment: string;
}

const envBase = (p: HoneycombPlace) => `${uiBase(p.endpoint)}/${encodeURIComponent(p.team)}/environments/${encodeURIComponent(p.environment)}`;

export const honeycombEnvironment = (p: HoneycombPlace) => envBase(p);

export const honeycombDataset = (p: HoneycombPlace, dataset: string) => `${envBase(p)}/datasets/${encodeURIComponent(dataset)}/home`;

export const honeycombTrace = (p: HoneycombPlace, traceId: string) => `${envBase(p)}/trace?trace_id=${traceId}`;

/** A Honeycomb query template link: the query travels as JSON in the URL. */
export function honeycombQuery(p: HoneycombPlace, dataset: string, query: object): string {
  return `${envBase(p)}/datasets/${encodeURIComponent(dataset)}?query=${encodeURIComponent(JSON.stringify(query))}`;
}

/** The course's latency questions: a HEATMAP of duration_ms, and P90 per endpoint. */
export function latencyQueries(p: HoneycombPlace, dataset: string): { heatmap: string; p90ByEndpoint: string } {
  const base = { time_range: 7200, filters: [{ column: 'span.kind', op: '=', value: 'server' }] };
  return {
    heatmap: honeycombQuery(p, dataset, { ...base, calculations: [{ op: 'HEATMAP', column: 'duration_ms' }] }),
    p90ByEndpoint: honeycombQuery(p, dataset, {
      ...base,
      breakdowns: ['http.route'],
      calculations: [{ op: 'P90', column: 'duration_ms' }],
      orders: [{ op: 'P90', column: 'duration_ms', order: 'descending' }],
    }),
  };
}
