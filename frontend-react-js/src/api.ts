import { backendUrl } from './config.ts';
import { telemetry } from './telemetry/hooks.ts';

/** A failed call to the backend: `message` in words for the page, `detail` for the console. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  constructor(status: number, message: string, detail = message) {
    super(message);
    this.status = status;
    this.detail = detail;
  }
}

const UNREACHABLE = 'Cruddur can’t reach its server right now. Try again in a moment.';
const FIX = 'docker compose ps shows whether backend-flask-ts runs; npm run doctor says which hop is broken';

/** The page says what a user can do; the console keeps what a developer needs. */
function failed(status: number, message: string, detail: string): ApiError {
  console.error(`[api] ${detail}`);
  return new ApiError(status, message, detail);
}

/**
 * Calls the backend. A navigation in progress becomes the fetch's parent span, so route
 * change -> fetch -> backend request is one trace.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const url = backendUrl() + path;
  const what = `${init.method ?? 'GET'} ${url}`;
  const call = () => fetch(url, { ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
  let res: Response;
  try {
    res = await telemetry.withNavigation(call);
  } catch (err) {
    throw failed(0, UNREACHABLE, `${what}: no answer (${(err as Error).message}): ${FIX}`);
  }
  const body = await res.json().catch(() => undefined);
  // A 5xx that is not the backend's JSON comes from the front end's proxy: the backend is down.
  if (res.status >= 500 && body === undefined) {
    throw failed(res.status, UNREACHABLE, `${what}: the front end's proxy answered ${res.status}, so the backend is not answering: ${FIX}`);
  }
  if (!res.ok) {
    // The backend's own error body, {errors: [{message}]}: its messages are written for the page.
    const problems = (body as { errors?: { message: string }[] } | undefined)?.errors?.map((p) => p.message);
    if (problems?.length) throw failed(res.status, problems.join('; '), `${what}: ${res.status} ${problems.join('; ')}`);
    throw failed(res.status, 'Something went wrong on Cruddur’s side. Try again in a moment.', `${what}: the backend answered ${res.status}: its log (docker compose logs backend-flask-ts) says why`);
  }
  return body as T;
}
