import { backendUrl } from './config.ts';
import { telemetry } from './telemetry/hooks.ts';

/** A failed call to the backend, in words for the page: what happened and what to try. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Calls the backend. A navigation in progress becomes the fetch's parent span, so route
 * change -> fetch -> backend request is one trace.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const url = backendUrl() + path;
  const call = () => fetch(url, { ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
  let res: Response;
  try {
    res = await telemetry.withNavigation(call);
  } catch {
    throw new ApiError(0, `Could not reach the backend at ${backendUrl()}. Is it running? (docker compose ps)`);
  }
  const body = await res.json().catch(() => undefined);
  // A 5xx that is not the backend's JSON comes from the front end's proxy: the backend is down.
  if (res.status >= 500 && body === undefined) {
    throw new ApiError(res.status, `Could not reach the backend (the front end's proxy answered ${res.status}). Is it running? (docker compose ps)`);
  }
  if (!res.ok) {
    const problems = (body as { errors?: { message: string }[] } | undefined)?.errors?.map((p) => p.message);
    throw new ApiError(res.status, problems?.length ? problems.join('; ') : `The backend answered ${res.status}.`);
  }
  return body as T;
}
