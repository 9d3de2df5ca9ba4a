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

export const xrayTraceId = (traceId: string) => `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;

const cloudwatch = (region: string) => `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}`;

export const xrayTrace = (region: string, traceId: string) => `${cloudwatch(region)}#xray:traces/${xrayTraceId(traceId)}`;

export const xrayGroups = (region: string) => `${cloudwatch(region)}#xray:settings/groups`;
// The console escapes a group name's / as $252F (URL-encoded twice, % written as $).
export const cloudwatchLogGroup = (region: string, group: string) => `${cloudwatch(region)}#logsV2:log-groups/log-group/${encodeURIComponent(encodeURIComponent(group)).replace(/%/g, '$')}`;

export const xrayTraces = (region: string, filter: string) =>
  `${cloudwatch(region)}#xray:traces/query?~(query~(expression~'${encodeURIComponent(filter).replace(/'/g, '%27')})~context~(timeRange~(delta~900000)))`;
