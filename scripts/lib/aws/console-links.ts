// Links into the AWS console (X-Ray traces and groups, CloudWatch Logs), for the doctor's and the
// smoke's lines: never fetched, only printed.
export const xrayTraceId = (traceId: string) => `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;

const cloudwatch = (region: string) => `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}`;

export const xrayTrace = (region: string, traceId: string) => `${cloudwatch(region)}#xray:traces/${xrayTraceId(traceId)}`;

export const xrayGroups = (region: string) => `${cloudwatch(region)}#xray:settings/groups`;
// The console escapes a group name's / as $252F (URL-encoded twice, % written as $).
export const cloudwatchLogGroup = (region: string, group: string) => `${cloudwatch(region)}#logsV2:log-groups/log-group/${encodeURIComponent(encodeURIComponent(group)).replace(/%/g, '$')}`;

export const xrayTraces = (region: string, filter: string) =>
  `${cloudwatch(region)}#xray:traces/query?~(query~(expression~'${encodeURIComponent(filter).replace(/'/g, '%27')})~context~(timeRange~(delta~900000)))`;
