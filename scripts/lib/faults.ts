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

/** Retry-After as seconds: either a number of seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, Math.round(n));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}
