import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { Identity } from '../lib/aws/clients.ts';
import type { Fault } from '../lib/net/faults.ts';
import { authInOtherRegion, HoneycombApi, HoneycombError, keyInfo, keyShapeProblems, type Auth, type Dataset } from '../lib/honeycomb/api.ts';
import type { Board } from '../lib/honeycomb/board.ts';
import type { Settings } from '../lib/workspace/settings.ts';

export type Lookup<T> = { ok: true; value: T } | { ok: false; fault: Fault; status?: number };

export interface SharedOptions {
  /** Where the "other" Honeycomb region is probed when a key is refused (tests point it at a fake). */
  honeycombOtherRegion?: string;
}

const memo = <T>(work: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= work());
};

/** The usable key (trimmed) when its shape allows a call at all. */
export function usableKey(settings: Settings): string | undefined {
  const raw = settings.honeycombKey?.value;
  if (!raw || keyShapeProblems(raw).length) return undefined;
  return keyInfo(raw).canSend ? raw : undefined;
}

/** Lookups several checks need, each made once per run however many checks ask. */
export function createShared(settings: Settings, options: SharedOptions = {}) {
  const key = usableKey(settings);
  const api = key ? new HoneycombApi(settings.honeycombEndpoint.value, key) : undefined;
  const honeycomb = <T>(call: (a: HoneycombApi) => Promise<T>) =>
    memo(async (): Promise<Lookup<T>> => {
      if (!api) return { ok: false, fault: { cause: 'no usable HONEYCOMB_API_KEY', fix: 'see honeycomb.key' } };
      try {
        return { ok: true, value: await call(api) };
      } catch (err) {
        const e = err as HoneycombError;
        return { ok: false, fault: e.fault ?? { cause: (err as Error).message, fix: 'run again' }, status: e.status };
      }
    });
  const honeycombAuth = honeycomb<Auth>((a) => a.auth());
  // A configuration key may read the environment; its reads can go out before /1/auth answers.
  const mayRead = key !== undefined && keyInfo(key).canRead;
  return {
    api,
    mayRead,
    honeycombAuth,
    /**
     * /1/auth, with the lookups that need its answer only to be read (not to be asked) started
     * beside it for a key that may read, so the doctor stays one round trip; what they answer
     * is read only where the auth allows (a refusal is then ignored). Lookups are memoised: a
     * check asks them again for their answer.
     */
    authBeside: (...lookups: (() => Promise<unknown>)[]): Promise<Lookup<Auth>> => {
      if (mayRead) for (const lookup of lookups) void lookup();
      return honeycombAuth();
    },
    honeycombDatasets: honeycomb<Dataset[]>((a) => a.datasets()),
    // The board's lookup loads board.ts (its queries) only when asked.
    honeycombBoard: honeycomb<Board | undefined>(async (a) => (await import('../lib/honeycomb/board.ts')).findBoard(a)),
    /** Whether the refused key is accepted by the other region; undefined when it is not. */
    otherRegionAccepts: memo(async (): Promise<string | undefined> =>
      key ? (await authInOtherRegion(settings.honeycombEndpoint.value, key, options.honeycombOtherRegion))?.endpoint : undefined,
    ),
    // The AWS SDK loads with the first AWS lookup, not at start-up (most of the doctor's).
    callerIdentity: memo(async (): Promise<Identity> => (await import('../lib/aws/clients.ts')).callerIdentity(settings)),
    xrayGroup: memo(async (): Promise<Lookup<{ FilterExpression?: string } | undefined>> => {
      const [{ GetGroupCommand }, { awsFault, deadline, isMissingGroup, xrayClient }] = await Promise.all([import('@aws-sdk/client-xray'), import('../lib/aws/clients.ts')]);
      try {
        const out = await xrayClient(settings).send(new GetGroupCommand({ GroupName: settings.xrayGroup.value }), deadline());
        return { ok: true, value: out.Group };
      } catch (err) {
        if (isMissingGroup(err)) return { ok: true, value: undefined };
        return { ok: false, fault: awsFault(err, 'xray:GetGroup') };
      }
    }),
    logGroup: memo(async (): Promise<Lookup<LogGroup | undefined>> => {
      const [{ findLogGroup }, { awsFault }] = await Promise.all([import('../lib/aws/cloudwatch-logs.ts'), import('../lib/aws/clients.ts')]);
      try {
        return { ok: true, value: await findLogGroup(settings) };
      } catch (err) {
        return { ok: false, fault: awsFault(err, 'logs:DescribeLogGroups') };
      }
    }),
  };
}

export type Shared = ReturnType<typeof createShared>;
