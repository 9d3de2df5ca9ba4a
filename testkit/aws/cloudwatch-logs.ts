import { listen, readBody } from '../http.ts';
import { signedBy } from './sigv4.ts';

export interface StoredEvent {
  message: string;
  timestamp: number;
}

/**
 * CloudWatch Logs over its AWS JSON 1.1 protocol (POST /, X-Amz-Target: Logs_20140328.<Op>),
 * for CreateLogGroup, CreateLogStream and PutLogEvents, with the service's own error shapes
 * and PutLogEvents limits.
 */
export async function startCloudWatchLogsFake(opts: { region?: string; deny?: boolean } = {}) {
  const region = opts.region ?? 'us-east-1';
  const groups = new Map<string, Map<string, StoredEvent[]>>();
  const calls: string[] = [];
  const state = { deny: opts.deny ?? false };

  const running = await listen(async (req, res) => {
    const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
    const op = String(req.headers['x-amz-target'] ?? '').replace('Logs_20140328.', '');
    calls.push(op);
    const send = (status: number, payload: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
    const fail = (status: number, type: string, message: string) => send(status, { __type: type, message });

    const who = signedBy(req);
    if (!who || who.service !== 'logs' || who.region !== region) {
      return fail(400, 'InvalidSignatureException', 'Credential should be scoped to a valid region and service logs.');
    }
    if (state.deny) {
      return fail(400, 'AccessDeniedException', `User: arn:aws:iam::123456789012:user/student is not authorized to perform: logs:${op}`);
    }
    const group = groups.get(body.logGroupName);
    // CloudWatch Logs API Reference, each action's Errors section; the AWS JSON 1.1 protocol
    // carries the error in __type. (Signatures are scoped, not recomputed, here: the backend
    // test gives this fake no secret to check them with.)
    switch (op) {
      case 'CreateLogGroup':
        if (group) return fail(400, 'ResourceAlreadyExistsException', 'The specified log group already exists');
        groups.set(body.logGroupName, new Map());
        return send(200, {});
      case 'CreateLogStream':
        if (!group) return fail(400, 'ResourceNotFoundException', 'The specified log group does not exist.');
        if (group.has(body.logStreamName)) return fail(400, 'ResourceAlreadyExistsException', 'The specified log stream already exists');
        group.set(body.logStreamName, []);
        return send(200, {});
      // PutLogEvents: at most 10,000 events and 1,048,576 bytes (each message plus 26 bytes) a
      // batch, in chronological order (API Reference, PutLogEvents).
      case 'PutLogEvents': {
        const stream = group?.get(body.logStreamName);
        if (!stream) return fail(400, 'ResourceNotFoundException', 'The specified log stream does not exist.');
        const events: StoredEvent[] = body.logEvents ?? [];
        const bytes = events.reduce((n, e) => n + Buffer.byteLength(e.message) + 26, 0);
        if (events.length === 0 || events.length > 10_000 || bytes > 1_048_576) {
          return fail(400, 'InvalidParameterException', 'Log event batch is empty or over its limits');
        }
        if (events.some((e, i) => i > 0 && e.timestamp < events[i - 1]!.timestamp)) {
          return fail(400, 'InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
        }
        stream.push(...events);
        return send(200, { nextSequenceToken: String(stream.length) });
      }
      default:
        return fail(400, 'UnknownOperationException', `unknown operation ${op}`);
    }
  });

  return {
    ...running,
    groups,
    calls,
    setDeny(deny: boolean) {
      state.deny = deny;
    },
    events: (group: string) => [...(groups.get(group)?.values() ?? [])].flat(),
  };
}
