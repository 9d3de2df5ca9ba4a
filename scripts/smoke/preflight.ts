// What every hop needs to know before it sends, asked once and at once: who the Honeycomb
// key belongs to (and whether it may query), and the X-Ray group's filter.
import { GetGroupCommand, type XRayClient } from '@aws-sdk/client-xray';
import { awsFault, isMissingGroup, xrayClient } from '../lib/aws/clients.ts';
import { authInOtherRegion, HoneycombApi, keyInfo, sameEnvironment, type Auth, type HoneycombError } from '../lib/honeycomb/api.ts';
import type { Settings } from '../lib/workspace/settings.ts';
import { may, NEEDS } from '../lib/honeycomb/permissions.ts';

export interface HoneycombState {
  key: string;
  api: HoneycombApi;
  auth?: Auth;
  error?: string;
  /** The Query Data API answers (Enterprise): hops are confirmed by smoke id, in parallel. */
  queryable: boolean;
  /** Datasets can be listed ("Create Datasets"): hops are confirmed by the dataset's last write, one at a time. */
  readable: boolean;
}

export interface XrayState {
  client?: XRayClient;
  filter?: string;
  error?: string;
}

export interface Preflight {
  honeycomb?: HoneycombState;
  xray?: XrayState;
}

export interface PreflightOverrides {
  /** Where the "other" Honeycomb region is probed when a key is refused (tests point it at a fake). */
  honeycombOtherRegion?: string;
}

/** Both at once; every call ends by `signal` (the smoke's deadline) at the latest. */
export async function preflight(settings: Settings, signal: AbortSignal, overrides: PreflightOverrides = {}): Promise<Preflight> {
  const key = settings.honeycombKey?.value.trim();
  const [honeycomb, xray] = await Promise.all([
    key ? honeycombPreflight(settings, key, signal, overrides) : undefined,
    settings.awsCredentials ? xrayPreflight(settings, signal) : undefined,
  ]);
  return { honeycomb, xray };
}

async function honeycombPreflight(settings: Settings, key: string, signal: AbortSignal, overrides: PreflightOverrides): Promise<HoneycombState> {
  const api = new HoneycombApi(settings.honeycombEndpoint.value, key, 10_000, signal);
  const info = keyInfo(key);
  const state: HoneycombState = { key, api, queryable: false, readable: false };
  if (!info.canSend) {
    state.error = `HONEYCOMB_API_KEY is a ${info.label}: ${info.note}`;
    return state;
  }
  try {
    const auth = await api.auth();
    const expected = settings.honeycombEnvironment?.value;
    // api.auth() gives both as strings; they are empty for Honeycomb Classic.
    const { name: actual, slug } = auth.environment;
    if (expected && !actual && !slug) {
      state.error = `the key is a Honeycomb Classic key of team "${auth.team.name}": it has no environment, so HONEYCOMB_ENVIRONMENT="${expected}" cannot be checked, and Classic needs an x-honeycomb-dataset header the collector does not send. Create an environment in Honeycomb (the course uses "bootcamp"), make an ingest key there, and save it with npm run setup`;
      return state;
    }
    if (expected && !sameEnvironment(expected, { name: actual, slug })) {
      state.error = `the key belongs to environment "${actual || slug}" of team "${auth.team.name}", not "${expected}" (HONEYCOMB_ENVIRONMENT): data would land in "${actual || slug}". Use a key from "${expected}" (npm run setup), or set HONEYCOMB_ENVIRONMENT=${slug || actual}`;
      return state;
    }
    state.auth = auth;
    state.readable = may(auth, NEEDS.listDatasets);
    // The Query Data API is for Enterprise plans: ask once, so every hop knows how it will be
    // confirmed before it sends (by smoke id in parallel, or by the dataset's last write in turn).
    if (may(auth, NEEDS.queryData)) state.queryable = await api.mayQuery();
  } catch (err) {
    const e = err as HoneycombError;
    state.error = `${e.fault?.cause ?? (err as Error).message}: ${e.fault?.fix ?? ''}`;
    const other = e.status === 401 ? await authInOtherRegion(settings.honeycombEndpoint.value, key, overrides.honeycombOtherRegion) : undefined;
    if (other) state.error = `the key belongs to the other Honeycomb region: set HONEYCOMB_API_ENDPOINT=${other.endpoint}`;
  }
  return state;
}

async function xrayPreflight(settings: Settings, signal: AbortSignal): Promise<XrayState> {
  const client = xrayClient(settings);
  try {
    const out = await client.send(new GetGroupCommand({ GroupName: settings.xrayGroup.value }), { abortSignal: AbortSignal.any([AbortSignal.timeout(10_000), signal]) });
    const filter = out.Group?.FilterExpression;
    if (!filter) return { client, error: `X-Ray group ${settings.xrayGroup.value} has no filter expression: set it to service("${settings.serviceName.value}")` };
    return { client, filter };
  } catch (err) {
    if (isMissingGroup(err)) {
      return { client, error: `X-Ray group ${settings.xrayGroup.value} does not exist in ${settings.awsRegion.value}: create it with npm run xray:setup` };
    }
    const f = awsFault(err, 'xray:GetGroup');
    return { client, error: `${f.cause}: ${f.fix}` };
  }
}
