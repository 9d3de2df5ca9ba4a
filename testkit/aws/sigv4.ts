import type { IncomingMessage } from 'node:http';

export interface SignedBy {
  accessKeyId: string;
  region: string;
  service: string;
}

/**
 * Reads the credential scope of a SigV4 Authorization header
 * ("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/xray/aws4_request, ...").
 * The fakes check who signed, for which region and service; they do not recompute signatures.
 */
export function signedBy(req: IncomingMessage): SignedBy | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    String(req.headers.authorization ?? ''),
  );
  return match ? { accessKeyId: match[1]!, region: match[2]!, service: match[3]! } : undefined;
}
