import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface SignedBy {
  accessKeyId: string;
  region: string;
  service: string;
}

/**
 * Who a fake knows: each access key id's secret, whether its session has expired, and, for
 * temporary credentials, the session token issued with them.
 */
export type KnownKeys = Map<string, { secret: string; expired?: boolean; sessionToken?: string }>;

export type Verdict =
  | { ok: true; who: SignedBy }
  | { ok: false; reason: 'unsigned' | 'unknown-key' | 'expired' | 'bad-signature' | 'invalid-token'; who?: SignedBy };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** The credential scope of a SigV4 Authorization header, without checking the signature. */
export function signedBy(req: IncomingMessage): SignedBy | undefined {
  const m = AUTH.exec(String(req.headers.authorization ?? ''));
  return m ? { accessKeyId: m[1]!, region: m[3]!, service: m[4]! } : undefined;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
// RFC 3986 unreserved characters stay; everything else is %XX, as SigV4's canonical form wants.
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Verifies a request's Signature Version 4, recomputed from AWS's own description of it
 * (IAM User Guide, "Create a signed AWS API request"): the canonical request (method, path,
 * sorted query, the signed headers lower-cased and trimmed, the payload's SHA-256), the string
 * to sign with the credential scope, and the key derived from the secret by date, region,
 * service and "aws4_request". The fakes answer each failure as their service does.
 */
export function verifySigV4(req: IncomingMessage, body: Buffer, keys: KnownKeys): Verdict {
  const m = AUTH.exec(String(req.headers.authorization ?? ''));
  if (!m) return { ok: false, reason: 'unsigned' };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m as unknown as string[];
  const who = { accessKeyId: accessKeyId!, region: region!, service: service! };
  const known = keys.get(accessKeyId!);
  if (!known) return { ok: false, reason: 'unknown-key', who };
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname.split('/').map((seg) => encode(decodeURIComponent(seg))).join('/') || '/';
  const query = [...url.searchParams].map(([k, v]) => `${encode(k)}=${encode(v)}`).sort().join('&');
  const names = signedHeaders!.split(';');
  const headers = names.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payload = String(req.headers['x-amz-content-sha256'] ?? sha256(body));
  const canonical = [req.method, path, query, headers, signedHeaders, payload].join('\n');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${known.secret}`, date!), region!), service!), 'aws4_request');
  if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) return { ok: false, reason: 'bad-signature', who };
  // X-Amz-Security-Token (SigV4: "the security token ... for temporary credentials") must be the
  // one issued with the key: a token beside long-term keys (a stale AWS_SESSION_TOKEN), or a wrong
  // one, is refused as an invalid security token (InvalidClientTokenId, STS's common errors), and
  // temporary keys without their token likewise.
  const token = String(req.headers['x-amz-security-token'] ?? url.searchParams.get('X-Amz-Security-Token') ?? '');
  // (An expired session's token is not known here: ExpiredToken answers it.)
  if (!known.expired && token !== (known.sessionToken ?? '')) return { ok: false, reason: 'invalid-token', who };
  if (known.expired) return { ok: false, reason: 'expired', who };
  return { ok: true, who };
}
