import type { Check } from '../types.ts';
import { awsCredentials, awsRegion } from './aws-credentials.ts';
import { logsDestination, logsGroup, logsRecent } from './cloudwatch-logs.ts';
import { honeycombAuth } from './honeycomb-auth.ts';
import { honeycombDatasetCheck } from './honeycomb-dataset.ts';
import { honeycombBoardCheck } from './honeycomb-board.ts';
import { honeycombKey } from './honeycomb-key.ts';
import { serviceNamesCheck } from './service-names.ts';
import { savedUrls } from './saved-urls.ts';
import { backendHealth, collectorCors, collectorHealth, frontendApiProxy, frontendOtlpProxy, frontendUp } from './stack.ts';
import { workspaceSecrets } from './workspace-secrets.ts';
import { xrayGroup } from './xray-group.ts';
import { xrayRecentTraces } from './xray-traces.ts';

/** Every check, in the order they are listed (they run at once). */
export const CHECKS: Check[] = [
  honeycombKey,
  honeycombAuth,
  honeycombDatasetCheck,
  honeycombBoardCheck,
  serviceNamesCheck,
  awsCredentials,
  awsRegion,
  xrayGroup,
  xrayRecentTraces,
  logsDestination,
  logsGroup,
  logsRecent,
  workspaceSecrets,
  savedUrls,
  collectorHealth,
  collectorCors,
  backendHealth,
  frontendUp,
  frontendApiProxy,
  frontendOtlpProxy,
];
