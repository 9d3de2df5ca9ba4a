import type { ServerResponse } from 'node:http';
import { delay, listen, readBody, type ListenOn } from '../http.ts';
import { randomUUID } from 'node:crypto';
import { verifySigV4, type KnownKeys } from './sigv4.ts';
import { compileXrayFilter, type TraceView } from './xray-filter.ts';

interface Group {
  GroupName: string;
  GroupARN: string;
  FilterExpression: string;
  InsightsConfiguration: { InsightsEnabled: boolean; NotificationsEnabled: boolean };
}

interface StoredSegment {
  Id: string;
  Document: string;
  doc: SegmentDoc;
}

interface SegmentDoc {
  name: string;
  id: string;
  trace_id: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  type?: string;
  parent_id?: string;
  user?: string;
  fault?: boolean;
  error?: boolean;
  throttle?: boolean;
  http?: { request?: { url?: string; method?: string }; response?: { status?: number } };
  annotations?: Record<string, unknown>;
  subsegments?: SegmentDoc[];
}

/**
 * AWS X-Ray over its REST-JSON protocol, as the API reference describes it: PutTraceSegments,
 * GetGroup, CreateGroup, UpdateGroup, GetGroups, GetTraceSummaries (filter expressions, a
 * subset), BatchGetTraces, CreateSamplingRule and GetSamplingRules. Errors carry
 * x-amzn-ErrorType as the service's do. `deny` lists actions answered with AccessDenied.
 */
export async function startXrayFake(opts: { region?: string; account?: string; latencyMs?: number; listenOn?: ListenOn; credentials?: Record<string, string>; expired?: Record<string, string> } = {}) {
  const region = opts.region ?? 'us-east-1';
  const keys: KnownKeys = new Map([
    ...Object.entries(opts.credentials ?? {}).map(([id, secret]) => [id, { secret }] as const),
    ...Object.entries(opts.expired ?? {}).map(([id, secret]) => [id, { secret, expired: true }] as const),
  ]);
  const account = opts.account ?? '123456789012';
  const groups = new Map<string, Group>();
  const rules = new Map<string, Record<string, unknown>>();
  const traces = new Map<string, StoredSegment[]>();
  // Page sizes: the API reference documents NextToken on GetTraceSummaries, BatchGetTraces and
  // GetSamplingRules but no page size; these are the fake's, small enough for tests to reach a
  // second page (setPageSize).
  const state = { deny: new Set<string>(), latencyMs: opts.latencyMs ?? 0, calls: [] as string[], arrivals: [] as { call: string; at: number }[], visibleAfterMs: 0, throttle: new Set<string>(), pageSize: 100, emptySummaryPages: 0, transactionSearch: undefined as number | undefined };
  const pageOf = <T>(items: T[], next: unknown): { page: T[]; NextToken?: string } | undefined => {
    const from = next === undefined ? 0 : Number(Buffer.from(String(next), 'base64url').toString());
    if (!Number.isInteger(from) || from < 0) return undefined;
    const end = from + state.pageSize;
    return { page: items.slice(from, end), ...(end < items.length ? { NextToken: Buffer.from(String(end)).toString('base64url') } : {}) };
  };

  // Every answer carries x-amzn-RequestId; errors name their type in x-amzn-ErrorType (the
  // restJson1 protocol, as the SDK's deserializers read it).
  const send = (res: ServerResponse, status: number, body: unknown, type?: string) =>
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...(type ? { 'x-amzn-errortype': type } : {}) }).end(JSON.stringify(body));
  const invalid = (res: ServerResponse, message: string) => send(res, 400, { message }, 'InvalidRequestException');

  /** What a filter expression sees of a trace: its segments' names, annotations, timing and flags. */
  const view = (segments: StoredSegment[]): TraceView => {
    const v: TraceView = { services: new Set(), annotations: new Map(), duration: 0, responsetime: 0, http: {}, flags: { ok: true, error: false, throttle: false, fault: false, partial: false }, users: new Set() };
    const visit = (doc: SegmentDoc, segment: boolean) => {
      if (segment) v.services.add(doc.name);
      for (const [k, val] of Object.entries(doc.annotations ?? {})) v.annotations.set(k, [...(v.annotations.get(k) ?? []), val]);
      for (const flag of ['error', 'throttle', 'fault'] as const) if (doc[flag]) v.flags[flag] = true;
      if (doc.in_progress) v.flags.partial = true;
      if (doc.user) v.users.add(doc.user);
      for (const sub of doc.subsegments ?? []) visit(sub, false);
    };
    // A subsegment sent as its own document (type "subsegment", as the awsxray exporter sends
    // every non-server child span) joins its parent segment: it names no service.
    for (const s of segments) visit(s.doc, s.doc.type !== 'subsegment');
    v.flags.ok = !v.flags.error && !v.flags.fault && !v.flags.throttle;
    const starts = segments.map((s) => s.doc.start_time);
    const ends = segments.map((s) => s.doc.end_time ?? s.doc.start_time);
    v.duration = Math.max(...ends) - Math.min(...starts);
    // The first segment of the trace, the one the request entered, gives responsetime and http.
    const root = segments.find((s) => s.doc.type !== 'subsegment' && !segments.some((o) => o.doc.id === s.doc.parent_id))?.doc;
    if (root) {
      v.responsetime = (root.end_time ?? root.start_time) - root.start_time;
      v.http = { status: root.http?.response?.status, url: root.http?.request?.url, method: root.http?.request?.method };
    }
    return v;
  };

  /** X-Ray Developer Guide, "Segment documents": the required fields, with their formats. */
  const segmentProblem = (doc: SegmentDoc): string | undefined => {
    if (!doc.name || doc.name.length > 200) return 'name is required, at most 200 characters';
    if (!/^[0-9a-f]{16}$/.test(doc.id ?? '')) return 'id must be 16 hexadecimal digits';
    if (!/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(doc.trace_id ?? '')) return 'trace_id must be 1-{8 hex}-{24 hex}';
    if (typeof doc.start_time !== 'number') return 'start_time is required, in epoch seconds';
    if (typeof doc.end_time !== 'number' && doc.in_progress !== true) return 'end_time is required unless in_progress is true';
    if (doc.type === 'subsegment' && !/^[0-9a-f]{16}$/.test(doc.parent_id ?? '')) return 'a subsegment sent on its own needs parent_id';
    return undefined;
  };

  /** Whether a trace has a trace summary: every one, unless Transaction Search indexes a share (by the id's last digits, as a sampler would). */
  const indexed = (traceId: string) => state.transactionSearch === undefined || Number.parseInt(traceId.slice(-4), 16) % 100 < state.transactionSearch;

  const running = await listen(async (req, res) => {
    const raw = await readBody(req);
    const text = raw.toString('utf8');
    const input = text ? JSON.parse(text) : {};
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    state.calls.push(path);
    state.arrivals.push({ call: path, at: performance.now() });
    if (state.latencyMs) await delay(state.latencyMs);
    // Authentication errors as X-Ray's JSON services name them (the SDK model's common errors).
    const verdict = verifySigV4(req, raw, keys);
    if (!verdict.ok) {
      switch (verdict.reason) {
        case 'unsigned':
          return send(res, 403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException');
        case 'unknown-key':
        case 'invalid-token':
          return send(res, 403, { message: 'The security token included in the request is invalid.' }, 'UnrecognizedClientException');
        case 'bad-signature':
          return send(res, 403, { message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' }, 'InvalidSignatureException');
        case 'expired':
          return send(res, 403, { message: 'The security token included in the request is expired' }, 'ExpiredTokenException');
      }
    }
    if (verdict.who.service !== 'xray' || verdict.who.region !== region) {
      return send(res, 403, { message: `Credential should be scoped to a valid region (${region}) and service xray.` }, 'InvalidSignatureException');
    }
    const action = { '/TraceSegments': 'PutTraceSegments', '/GetGroup': 'GetGroup', '/CreateGroup': 'CreateGroup', '/UpdateGroup': 'UpdateGroup', '/Groups': 'GetGroups', '/TraceSummaries': 'GetTraceSummaries', '/Traces': 'BatchGetTraces', '/CreateSamplingRule': 'CreateSamplingRule', '/GetSamplingRules': 'GetSamplingRules', '/GetTraceSegmentDestination': 'GetTraceSegmentDestination', '/GetIndexingRules': 'GetIndexingRules' }[path];
    if (!action) return send(res, 404, { message: `no route ${path}` }, 'UnknownOperationException');
    // The model (@aws-sdk/client-xray): ThrottledException, HTTP 429, "The request exceeds the maximum number of requests per second."
    if (state.throttle.has(action)) return send(res, 429, { Message: 'The request exceeds the maximum number of requests per second.' }, 'ThrottledException');
    if (state.deny.has(action)) {
      return send(res, 403, { Message: `User: arn:aws:iam::${account}:user/student is not authorized to perform: xray:${action} because no identity-based policy allows the xray:${action} action` }, 'AccessDeniedException');
    }
    switch (action) {
      case 'PutTraceSegments': {
        const unprocessed: { Id?: string; ErrorCode: string; Message: string }[] = [];
        for (const raw of input.TraceSegmentDocuments ?? []) {
          let doc: SegmentDoc;
          try {
            doc = JSON.parse(raw);
          } catch {
            unprocessed.push({ ErrorCode: 'InvalidSegment', Message: 'Invalid segment JSON' });
            continue;
          }
          const problem = segmentProblem(doc);
          if (problem) {
            unprocessed.push({ Id: doc.id, ErrorCode: 'InvalidSegment', Message: `Invalid segment: ${problem}` });
            continue;
          }
          const list = traces.get(doc.trace_id) ?? [];
          list.push({ Id: doc.id, Document: raw, doc });
          traces.set(doc.trace_id, list);
        }
        return send(res, 200, { UnprocessedTraceSegments: unprocessed });
      }
      case 'GetGroup': {
        const g = groups.get(input.GroupName) ?? [...groups.values()].find((x) => x.GroupARN === input.GroupARN);
        return g ? send(res, 200, { Group: g }) : invalid(res, 'Group not found');
      }
      case 'GetGroups':
        return send(res, 200, { Groups: [...groups.values()] });
      case 'CreateGroup': {
        // The model: GroupName is 1 to 32 characters.
        if (!input.GroupName || String(input.GroupName).length > 32) return invalid(res, 'GroupName must be 1 to 32 characters');
        if (groups.has(input.GroupName)) return invalid(res, 'Group already exists');
        try {
          compileXrayFilter(input.FilterExpression ?? '');
        } catch (err) {
          return invalid(res, (err as Error).message);
        }
        const g: Group = {
          GroupName: input.GroupName,
          GroupARN: `arn:aws:xray:${region}:${account}:group/${input.GroupName}/${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
          FilterExpression: input.FilterExpression,
          InsightsConfiguration: { InsightsEnabled: false, NotificationsEnabled: false, ...input.InsightsConfiguration },
        };
        groups.set(g.GroupName, g);
        return send(res, 200, { Group: g });
      }
      case 'UpdateGroup': {
        const g = groups.get(input.GroupName);
        if (!g) return invalid(res, 'Group not found');
        if (input.FilterExpression) {
          try {
            compileXrayFilter(input.FilterExpression);
          } catch (err) {
            return invalid(res, (err as Error).message);
          }
          g.FilterExpression = input.FilterExpression;
        }
        return send(res, 200, { Group: g });
      }
      // With CloudWatch Transaction Search on, segments go to CloudWatch Logs (destination
      // "CloudWatchLogs") and X-Ray keeps trace summaries for only the share of spans its indexing
      // rule names, 1 % unless raised (X-Ray API reference: GetTraceSegmentDestination,
      // GetIndexingRules; CloudWatch User Guide, "Transaction Search": "1% of spans ... indexed").
      case 'GetTraceSegmentDestination':
        return send(res, 200, { Destination: state.transactionSearch === undefined ? 'XRay' : 'CloudWatchLogs', Status: 'ACTIVE' });
      case 'GetIndexingRules':
        return send(res, 200, { IndexingRules: state.transactionSearch === undefined ? [] : [{ Name: 'Default', ModifiedAt: Date.now() / 1000, Rule: { Probabilistic: { DesiredSamplingPercentage: state.transactionSearch } } }] });
      case 'GetTraceSummaries': {
        let match: (t: TraceView) => boolean;
        try {
          match = input.FilterExpression ? compileXrayFilter(input.FilterExpression) : () => true;
        } catch (err) {
          return invalid(res, (err as Error).message);
        }
        const start = Number(input.StartTime);
        const end = Number(input.EndTime);
        const visibleBefore = Date.now() / 1000 - state.visibleAfterMs / 1000;
        // "The first page contains the most recent results, closest to the end of the time frame."
        const summaries = [...traces.entries()]
          .filter(([id]) => indexed(id))
          .filter(([, segs]) => segs.some((s) => s.doc.start_time >= start && s.doc.start_time <= end && s.doc.start_time <= visibleBefore))
          .filter(([, segs]) => match(view(segs)))
          .sort(([, a], [, b]) => Math.max(...b.map((s) => s.doc.start_time)) - Math.max(...a.map((s) => s.doc.start_time)))
          .map(([id, segs]) => ({ Id: id, Duration: Math.max(...segs.map((s) => (s.doc.end_time ?? s.doc.start_time) - s.doc.start_time)), HasError: false }));
        // Pages are slices of the time frame: one may hold no trace while a later one does
        // (setEmptySummaryPages plays that; the token then says how many are left).
        if (input.NextToken === undefined && state.emptySummaryPages > 0) return send(res, 200, { TraceSummaries: [], ApproximateTime: Date.now() / 1000, TracesProcessedCount: 0, NextToken: `empty-${state.emptySummaryPages - 1}` });
        const empty = /^empty-(\d+)$/.exec(String(input.NextToken ?? ''));
        if (empty && Number(empty[1]) > 0) return send(res, 200, { TraceSummaries: [], ApproximateTime: Date.now() / 1000, TracesProcessedCount: 0, NextToken: `empty-${Number(empty[1]) - 1}` });
        const paged = pageOf(summaries, empty ? undefined : input.NextToken);
        if (!paged) return invalid(res, 'Invalid NextToken');
        return send(res, 200, { TraceSummaries: paged.page, ApproximateTime: Date.now() / 1000, TracesProcessedCount: traces.size, ...(paged.NextToken ? { NextToken: paged.NextToken } : {}) });
      }
      case 'BatchGetTraces': {
        // TraceIds: at most 5 (the SDK model's constraint). Segments come in pages (NextToken).
        const ids: string[] = input.TraceIds ?? [];
        if (ids.length > 5) return invalid(res, '1 validation error detected: Value at \'traceIds\' failed to satisfy constraint: Member must have length less than or equal to 5');
        const found = ids.filter((id) => traces.has(id));
        const all = found.flatMap((id) => traces.get(id)!.map(({ Id, Document }) => ({ trace: id, Id, Document })));
        const paged = pageOf(all, input.NextToken);
        if (!paged) return invalid(res, 'Invalid NextToken');
        const byTrace = new Map<string, { Id: string; Document: string }[]>();
        for (const s of paged.page) byTrace.set(s.trace, [...(byTrace.get(s.trace) ?? []), { Id: s.Id, Document: s.Document }]);
        return send(res, 200, {
          Traces: [...byTrace].map(([Id, Segments]) => ({ Id, Segments })),
          UnprocessedTraceIds: ids.filter((id) => !traces.has(id)),
          ...(paged.NextToken ? { NextToken: paged.NextToken } : {}),
        });
      }
      case 'CreateSamplingRule': {
        const rule = input.SamplingRule;
        if (rules.has(rule.RuleName)) return invalid(res, 'Sampling rule already exists');
        const record = { SamplingRule: { ...rule, RuleARN: `arn:aws:xray:${region}:${account}:sampling-rule/${rule.RuleName}` }, CreatedAt: Date.now() / 1000, ModifiedAt: Date.now() / 1000 };
        rules.set(rule.RuleName, record);
        return send(res, 200, { SamplingRuleRecord: record });
      }
      case 'GetSamplingRules': {
        const paged = pageOf([...rules.values()], input.NextToken);
        if (!paged) return invalid(res, 'Invalid NextToken');
        return send(res, 200, { SamplingRuleRecords: paged.page, ...(paged.NextToken ? { NextToken: paged.NextToken } : {}) });
      }
    }
  }, opts.listenOn?.port, opts.listenOn?.host);

  return {
    ...running,
    groups,
    rules,
    traces,
    calls: state.calls,
    /** When each call arrived (performance.now()), for tests of what is asked at once. */
    arrivals: state.arrivals,
    /** Answers these actions with ThrottledException; no actions: stop throttling. */
    throttle(...actions: string[]) {
      if (!actions.length) state.throttle.clear();
      for (const a of actions) state.throttle.add(a);
    },
    deny(...actions: string[]) {
      for (const a of actions) state.deny.add(a);
    },
    allowAll() {
      state.deny.clear();
    },
    setLatency(ms: number) {
      state.latencyMs = ms;
    },
    /** GetTraceSummaries answers this many empty pages, each with a NextToken, before its traces. */
    setEmptySummaryPages(n: number) {
      state.emptySummaryPages = n;
    },
    /** Items per page of GetTraceSummaries, BatchGetTraces' segments and GetSamplingRules. */
    setPageSize(n: number) {
      state.pageSize = n;
    },
    /** CloudWatch Transaction Search on, indexing this percentage of traces as summaries; undefined turns it off. */
    setTransactionSearch(percent: number | undefined) {
      state.transactionSearch = percent;
    },
    /** Traces become queryable only this long after their start, as X-Ray's indexing lags. */
    setIndexingDelay(ms: number) {
      state.visibleAfterMs = ms;
    },
    addGroup(name: string, filter: string) {
      groups.set(name, { GroupName: name, GroupARN: `arn:aws:xray:${region}:${account}:group/${name}/TEST`, FilterExpression: filter, InsightsConfiguration: { InsightsEnabled: false, NotificationsEnabled: false } });
    },
  };
}

export type XrayFake = Awaited<ReturnType<typeof startXrayFake>>;
