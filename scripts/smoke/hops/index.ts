import { backendHop } from './backend.ts';
import { browserHop } from './browser.ts';
import { collectorHop } from './collector.ts';
import type { Hop } from './hop.ts';
import { honeycombHop } from './honeycomb.ts';
import { logsHop } from './logs.ts';
import { metricsHop } from './metrics.ts';
import { xrayHop } from './xray.ts';

/** Every hop, in the order they are reported (they run at once). */
export const HOPS: Hop[] = [honeycombHop, xrayHop, collectorHop, backendHop, logsHop, metricsHop, browserHop];
