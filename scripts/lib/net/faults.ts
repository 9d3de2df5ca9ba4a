/** What went wrong and what to do, in words a person can act on. Never a stack trace. */
export interface Fault {
  cause: string;
  fix: string;
}

/**
 * Network-level failures of fetch/undici and the AWS SDK, by their error codes. `startHint`
 * is what to do when nothing listens (e.g. "docker compose up -d otel-collector").
 */
export function networkFault(err: unknown, url: string, service: string, startHint = 'check the URL'): Fault | undefined {
  const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const host = safeHost(url);
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ETIMEDOUT') {
    return { cause: `${service} did not answer in time (${host})`, fix: `check the network from this workspace to ${host}, then try again` };
  }
  if (code === 'ECONNREFUSED') {
    return { cause: `nothing is listening at ${url} (connection refused)`, fix: `${startHint}, or set the URL ${service} runs on` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { cause: `the host name ${host} does not resolve (DNS)`, fix: `check the spelling of the URL for ${service}, and that this workspace has network access` };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return { cause: `${service} closed the connection (${host})`, fix: 'try again; if it persists, check a proxy or firewall between here and it' };
  }
  // OpenSSL's answer to a TLS hello sent to a plain-HTTP port.
  if (code?.startsWith('ERR_SSL_') || code === 'EPROTO' || /wrong version number|packet length too long/i.test(`${e?.message} ${e?.cause?.message}`)) {
    return { cause: `${host} does not speak TLS (https): it looks like a plain http port`, fix: 'use http:// for a local endpoint, or the port that serves https' };
  }
  if (code?.startsWith('ERR_TLS') || code === 'CERT_HAS_EXPIRED' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return { cause: `TLS to ${host} failed (${code})`, fix: 'check the URL uses the right scheme and that no proxy rewrites certificates' };
  }
  return undefined;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The longest Retry-After worth repeating: past an hour, "later" says as much. */
export const MAX_RETRY_AFTER_S = 3600;

/** Retry-After as seconds (a number of seconds or an HTTP date), at most MAX_RETRY_AFTER_S. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  const seconds = Number.isFinite(n) ? n : (Date.parse(value) - Date.now()) / 1000;
  return Number.isNaN(seconds) ? undefined : Math.min(MAX_RETRY_AFTER_S, Math.max(0, Math.round(seconds)));
}
