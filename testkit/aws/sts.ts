import { delay, listen, readBody, type ListenOn } from '../http.ts';
import { verifySigV4, type KnownKeys } from './sigv4.ts';

export interface Identity {
  Account: string;
  Arn: string;
  UserId: string;
  /** The secret access key that signs for this identity. */
  Secret: string;
  /** Temporary credentials' session token, sent with each request they sign (sigv4.ts). */
  SessionToken?: string;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * AWS STS over its query protocol (form-encoded POST, XML answers) for GetCallerIdentity.
 * Every request's SigV4 signature is recomputed with the secret the fake knows: an unknown key
 * id gets STS's InvalidClientTokenId, a wrong secret SignatureDoesNotMatch, an `expired` key
 * ExpiredToken, each in STS's ErrorResponse XML (STS API Reference, Common Errors; the
 * messages are the ones the AWS CLI prints for them).
 */
export async function startStsFake(opts: { identities?: Record<string, Identity>; expired?: Record<string, string>; latencyMs?: number; listenOn?: ListenOn } = {}) {
  const identities = new Map(Object.entries(opts.identities ?? {}));
  const keys: KnownKeys = new Map([
    ...[...identities].map(([id, who]) => [id, { secret: who.Secret, ...(who.SessionToken ? { sessionToken: who.SessionToken } : {}) }] as const),
    ...Object.entries(opts.expired ?? {}).map(([id, secret]) => [id, { secret, expired: true }] as const),
  ]);
  const state = { latencyMs: opts.latencyMs ?? 0, calls: 0 };
  const error = (code: string, message: string) =>
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`;

  const running = await listen(async (req, res) => {
    const body = await readBody(req);
    const form = new URLSearchParams(body.toString('utf8'));
    state.calls++;
    if (state.latencyMs) await delay(state.latencyMs);
    const reply = (status: number, xml: string) => res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
    if (form.get('Action') !== 'GetCallerIdentity' || form.get('Version') !== '2011-06-15') {
      return reply(400, error('InvalidAction', `Could not find operation ${form.get('Action')} for version ${form.get('Version')}`));
    }
    const verdict = verifySigV4(req, body, keys);
    if (!verdict.ok) {
      switch (verdict.reason) {
        case 'unsigned':
          return reply(403, error('IncompleteSignature', 'Request must be signed'));
        case 'unknown-key':
        case 'invalid-token':
          return reply(403, error('InvalidClientTokenId', 'The security token included in the request is invalid.'));
        case 'bad-signature':
          return reply(403, error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'));
        case 'expired':
          return reply(403, error('ExpiredToken', 'The security token included in the request is expired'));
      }
    }
    if (verdict.who.service !== 'sts') return reply(403, error('IncompleteSignature', `Credential should be scoped to correct service: 'sts'.`));
    const id = identities.get(verdict.who.accessKeyId)!;
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
