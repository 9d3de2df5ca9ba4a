import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { listen, readBody, type ListenOn } from '../http.ts';
import { verifySigV4, type KnownKeys } from './sigv4.ts';

export interface StoredEvent {
  message: string;
  timestamp: number;
  ingestionTime: number;
  logStreamName: string;
  eventId: string;
}

interface LogGroup {
  creationTime: number;
  retentionInDays?: number;
  streams: Map<string, StoredEvent[]>;
}

// CloudWatch Logs API Reference, PutRetentionPolicy: the values retentionInDays may take.
const RETENTION_DAYS = new Set([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);
// CreateLogGroup: 1-512 characters of a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'.
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const DAY_MS = 86_400_000;

/**
 * CloudWatch Logs over its AWS JSON 1.1 protocol, as the API Reference and the SDK's model
 * (@aws-sdk/client-cloudwatch-logs) describe it: POST / with X-Amz-Target:
 * Logs_20140328.<Action>; errors are HTTP 400 with the exception's name in `__type`.
 * Actions: CreateLogGroup, PutRetentionPolicy, DescribeLogGroups, CreateLogStream,
 * PutLogEvents and FilterLogEvents, each with the errors its reference page lists.
 * Requests must carry a valid SigV4 signature for service "logs".
 */
export async function startCloudWatchLogsFake(opts: { region?: string; account?: string; credentials?: Record<string, string>; listenOn?: ListenOn } = {}) {
  const region = opts.region ?? 'us-east-1';
  const account = opts.account ?? '123456789012';
  const keys: KnownKeys = new Map(Object.entries(opts.credentials ?? {}).map(([id, secret]) => [id, { secret }] as const));
  const groups = new Map<string, LogGroup>();
  const calls: string[] = [];
  // emptyPagesFirst: FilterLogEvents answers this many empty pages, each with a nextToken, before
  // its events, as its API reference says a page may be ("partially full, or even empty").
  const state = { deny: new Set<string>(), emptyPagesFirst: 0 };
  /** Opaque page tokens: the offset of the next item, and how many empty pages are left. */
  const token = (offset: number, empties = 0) => Buffer.from(JSON.stringify([offset, empties])).toString('base64url');
  const untoken = (t: unknown): [number, number] | undefined => {
    try {
      return t === undefined ? undefined : (JSON.parse(Buffer.from(String(t), 'base64url').toString()) as [number, number]);
    } catch {
      return undefined;
    }
  };
  const arn = (group: string) => `arn:aws:logs:${region}:${account}:log-group:${group}`;

  const send = (res: ServerResponse, status: number, payload: unknown) =>
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }).end(JSON.stringify(payload));
  const fail = (res: ServerResponse, type: string, message: string, status = 400) => send(res, status, { __type: type, message });

  const running = await listen(
    async (req, res) => {
      const raw = await readBody(req);
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^Logs_20140328\./, '');
      calls.push(op);
      // Common errors (API Reference, "Common Errors"): their names and HTTP status codes.
      const verdict = verifySigV4(req, raw, keys);
      if (!verdict.ok) {
        if (verdict.reason === 'unsigned') return fail(res, 'MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
        if (verdict.reason === 'unknown-key' || verdict.reason === 'invalid-token') return fail(res, 'UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
        if (verdict.reason === 'expired') return fail(res, 'ExpiredTokenException', 'The security token included in the request is expired', 403);
        return fail(res, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
      }
      if (verdict.who.service !== 'logs' || verdict.who.region !== region) {
        return fail(res, 'InvalidSignatureException', `Credential should be scoped to a valid region and service logs.`);
      }
      let body: Record<string, any>;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch {
        return fail(res, 'SerializationException', 'the request body is not JSON');
      }
      const groupName = String(body.logGroupName ?? '');
      if (state.deny.has(op)) {
        return fail(res, 'AccessDeniedException', `User: arn:aws:iam::${account}:user/student is not authorized to perform: logs:${op} on resource: ${arn(groupName)}`);
      }
      const group = groups.get(groupName);
      const noGroup = () => fail(res, 'ResourceNotFoundException', 'The specified log group does not exist.');

      switch (op) {
        case 'CreateLogGroup':
          if (!GROUP_NAME.test(groupName)) return fail(res, 'InvalidParameterException', `1 validation error detected: Value '${groupName}' at 'logGroupName' failed to satisfy constraint`);
          if (group) return fail(res, 'ResourceAlreadyExistsException', 'The specified log group already exists');
          groups.set(groupName, { creationTime: Date.now(), streams: new Map() });
          return send(res, 200, {});
        case 'PutRetentionPolicy':
          if (!RETENTION_DAYS.has(Number(body.retentionInDays))) return fail(res, 'InvalidParameterException', `1 validation error detected: Value '${body.retentionInDays}' at 'retentionInDays' failed to satisfy constraint`);
          if (!group) return noGroup();
          group.retentionInDays = Number(body.retentionInDays);
          return send(res, 200, {});
        // DescribeLogGroups: by name, a page of `limit` groups (1-50, "the default is up to 50
        // items"), and a nextToken while more are left.
        case 'DescribeLogGroups': {
          const prefix = String(body.logGroupNamePrefix ?? '');
          const limit = Number(body.limit ?? 50);
          if (!(limit >= 1 && limit <= 50)) return fail(res, 'InvalidParameterException', `1 validation error detected: Value '${body.limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50`);
          const from = body.nextToken === undefined ? 0 : untoken(body.nextToken)?.[0];
          if (from === undefined) return fail(res, 'InvalidParameterException', 'The specified nextToken is invalid.');
          const all = [...groups]
            .filter(([name]) => name.startsWith(prefix))
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, g]) => ({ logGroupName: name, creationTime: g.creationTime, ...(g.retentionInDays ? { retentionInDays: g.retentionInDays } : {}), arn: `${arn(name)}:*`, logGroupArn: arn(name), storedBytes: 0 }));
          const logGroups = all.slice(from, from + limit);
          return send(res, 200, { logGroups, ...(from + limit < all.length ? { nextToken: token(from + limit) } : {}) });
        }
        case 'CreateLogStream':
          if (!group) return noGroup();
          if (group.streams.has(body.logStreamName)) return fail(res, 'ResourceAlreadyExistsException', 'The specified log stream already exists');
          group.streams.set(String(body.logStreamName), []);
          return send(res, 200, {});
        // PutLogEvents: at most 10,000 events and 1,048,576 bytes (each message plus 26 bytes) a
        // batch, in chronological order; events older than 14 days (or the retention) or more
        // than 2 hours ahead are rejected, and said so in rejectedLogEventsInfo.
        case 'PutLogEvents': {
          if (!group) return noGroup();
          const stream = group.streams.get(body.logStreamName);
          if (!stream) return fail(res, 'ResourceNotFoundException', 'The specified log stream does not exist.');
          const events: { message: string; timestamp: number }[] = body.logEvents ?? [];
          const bytes = events.reduce((n, e) => n + Buffer.byteLength(e.message) + 26, 0);
          if (events.length === 0 || events.length > 10_000 || bytes > 1_048_576) return fail(res, 'InvalidParameterException', 'Log event batch is empty or over its limits');
          if (events.some((e, i) => i > 0 && e.timestamp < events[i - 1]!.timestamp)) return fail(res, 'InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
          const now = Date.now();
          const oldest = now - Math.min(14, group.retentionInDays ?? 14) * DAY_MS;
          let tooOld = -1;
          let tooNew = events.length;
          events.forEach((e, i) => {
            if (e.timestamp < oldest) tooOld = i;
            if (e.timestamp > now + 2 * 3_600_000 && i < tooNew) tooNew = i;
          });
          for (const e of events.slice(tooOld + 1, tooNew)) stream.push({ message: e.message, timestamp: e.timestamp, ingestionTime: now, logStreamName: String(body.logStreamName), eventId: randomUUID() });
          const rejected = { ...(tooOld >= 0 ? { tooOldLogEventEndIndex: tooOld } : {}), ...(tooNew < events.length ? { tooNewLogEventStartIndex: tooNew } : {}) };
          return send(res, 200, { nextSequenceToken: String(stream.length), ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}) });
        }
        // FilterLogEvents with a filter pattern of terms: an event matches when its message holds
        // every term (a quoted term is matched as it stands) (User Guide, "Filter pattern syntax").
        case 'FilterLogEvents': {
          if (!group) return noGroup();
          const terms = [...String(body.filterPattern ?? '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
          const start = Number(body.startTime ?? 0);
          const end = Number(body.endTime ?? Number.MAX_SAFE_INTEGER);
          const names: string[] | undefined = body.logStreamNames;
          // A named stream that does not exist is refused, not an empty answer ("The specified log
          // stream does not exist.", as AWS answered FilterLogEvents in percona/rds_exporter#81).
          if (names?.some((n) => !group.streams.has(n))) return fail(res, 'ResourceNotFoundException', 'The specified log stream does not exist.');
          const events = [...group.streams]
            .filter(([name]) => !names || names.includes(name))
            .flatMap(([, evs]) => evs)
            .filter((e) => e.timestamp >= start && e.timestamp < end && terms.every((t) => e.message.includes(t)))
            .sort((a, b) => a.timestamp - b.timestamp);
          // A page holds up to `limit` events (default 10,000); a nextToken while more are left.
          // searchedLogStreams is an empty list since May 2020 (the SDK model says so).
          const at: [number, number] | undefined = body.nextToken === undefined ? [0, state.emptyPagesFirst] : untoken(body.nextToken);
          if (!at) return fail(res, 'InvalidParameterException', 'The specified nextToken is invalid.');
          const [from, empties] = at;
          if (empties > 0) return send(res, 200, { events: [], searchedLogStreams: [], nextToken: token(from, empties - 1) });
          const limit = Number(body.limit ?? 10_000);
          const page = events.slice(from, from + limit);
          return send(res, 200, { events: page, searchedLogStreams: [], ...(from + limit < events.length ? { nextToken: token(from + limit) } : {}) });
        }
        default:
          return fail(res, 'UnknownOperationException', `unknown operation ${op}`);
      }
    },
    opts.listenOn?.port,
    opts.listenOn?.host,
  );

  return {
    ...running,
    groups,
    calls,
    /** Refuses these actions with AccessDeniedException, as a policy without them would. */
    deny(...actions: string[]) {
      for (const a of actions) state.deny.add(a);
    },
    allowAll() {
      state.deny.clear();
    },
    /** FilterLogEvents answers this many empty pages (with a nextToken) before its events. */
    setEmptyPagesFirst(n: number) {
      state.emptyPagesFirst = n;
    },
    addGroup(name: string, retentionInDays?: number) {
      groups.set(name, { creationTime: Date.now(), retentionInDays, streams: new Map() });
    },
    events: (group: string) => [...(groups.get(group)?.streams.values() ?? [])].flat(),
  };
}

export type CloudWatchLogsFake = Awaited<ReturnType<typeof startCloudWatchLogsFake>>;
