import { listen, readBody, type ListenOn } from '../http.ts';
import { signedBy } from './sigv4.ts';

export interface Identity {
  Account: string;
  Arn: string;
  UserId: string;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * AWS STS over its query protocol (form-encoded POST, XML answers) for GetCallerIdentity.
 * Known access key ids map to identities; the rest get STS's own InvalidClientTokenId,
 * and `expired` key ids get ExpiredToken, each in STS's ErrorResponse XML.
 */
export async function startStsFake(opts: { identities?: Record<string, Identity>; expired?: string[]; latencyMs?: number; listenOn?: ListenOn } = {}) {
  const identities = new Map(Object.entries(opts.identities ?? {}));
  const expired = new Set(opts.expired ?? []);
  const state = { latencyMs: opts.latencyMs ?? 0, calls: 0 };
  const error = (code: string, message: string) =>
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`;

  const running = await listen(async (req, res) => {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    state.calls++;
    if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs));
    const reply = (status: number, xml: string) => res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
    if (form.get('Action') !== 'GetCallerIdentity' || form.get('Version') !== '2011-06-15') {
      return reply(400, error('InvalidAction', `Could not find operation ${form.get('Action')} for version ${form.get('Version')}`));
    }
    const who = signedBy(req);
    if (!who || who.service !== 'sts') return reply(403, error('IncompleteSignature', 'Request must be signed'));
    if (expired.has(who.accessKeyId)) return reply(403, error('ExpiredToken', 'The security token included in the request is expired'));
    const id = identities.get(who.accessKeyId);
    if (!id) return reply(403, error('InvalidClientTokenId', 'The security token included in the request is invalid.'));
    reply(
      200,
      `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${id.Arn}</Arn><UserId>${id.UserId}</UserId><Account>${id.Account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }, opts.listenOn?.port, opts.listenOn?.host);
  return {
    ...running,
    get calls() {
      return state.calls;
    },
    setLatency(ms: number) {
      state.latencyMs = ms;
    },
  };
}
