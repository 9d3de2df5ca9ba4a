import type { Check, Group } from '../types.ts';

/**
 * Every check, by group, in the order they are listed (they run at once). Each group's files
 * load only when the group is asked for: the AWS SDK is most of the doctor's start-up, and
 * `--only workspace` or `--only honeycomb` need none of it.
 */
const LOADERS: Record<Group, () => Promise<Check[]>> = {
  honeycomb: async () => {
    const [key, auth, dataset, board, names] = await Promise.all([import('./honeycomb-key.ts'), import('./honeycomb-auth.ts'), import('./honeycomb-dataset.ts'), import('./honeycomb-board.ts'), import('./service-names.ts')]);
    return [key.honeycombKey, auth.honeycombAuth, dataset.honeycombDatasetCheck, dataset.honeycombMetricsCheck, board.honeycombBoardCheck, names.serviceNamesCheck];
  },
  aws: async () => {
    const [creds, group, traces, logs] = await Promise.all([import('./aws-credentials.ts'), import('./xray-group.ts'), import('./xray-traces.ts'), import('./cloudwatch-logs.ts')]);
    return [creds.awsCredentials, creds.awsRegion, group.xrayGroup, traces.xrayRecentTraces, logs.logsDestination, logs.logsGroup, logs.logsRecent];
  },
  workspace: async () => {
    const [secrets, urls, local] = await Promise.all([import('./workspace-secrets.ts'), import('./saved-urls.ts'), import('./local-files.ts')]);
    return [secrets.workspaceSecrets, urls.savedUrls, local.localFiles];
  },
  stack: async () => {
    const s = await import('./stack.ts');
    return [s.collectorHealth, s.collectorCors, s.backendHealth, s.frontendUp, s.frontendApiProxy, s.frontendOtlpProxy];
  },
};

export async function loadChecks(groups: readonly Group[]): Promise<Check[]> {
  const order: Group[] = ['honeycomb', 'aws', 'workspace', 'stack'];
  return (await Promise.all(order.filter((g) => groups.includes(g)).map((g) => LOADERS[g]()))).flat();
}
