import { startBackendProcess, type BackendOptions } from '../scripts/lib/workspace/backend-process.ts';

/** The real backend process, with request helpers for tests. */
export async function startBackend(options: BackendOptions = {}) {
  const be = await startBackendProcess(options);
  return {
    ...be,
    get: (path: string, headers: Record<string, string> = {}) => fetch(be.url + path, { headers }),
    post: (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(be.url + path, { method: 'POST', body, headers }),
  };
}

export type Backend = Awaited<ReturnType<typeof startBackend>>;
