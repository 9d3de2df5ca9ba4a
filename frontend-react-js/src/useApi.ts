import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; data: T };
export type ApiState<T> = Loaded<T> & { reload: () => void; replace: (data: T) => void };

// GETs in flight, by path and attempt: a second caller for the same one shares the request.
// React's StrictMode (the dev server, which compose runs) mounts every page twice; without
// this, each navigation made two GETs and two backend traces.
const inFlight = new Map<string, Promise<unknown>>();

function sharedGet<T>(path: string, attempt: number): Promise<T> {
  const key = `${attempt} ${path}`;
  let call = inFlight.get(key) as Promise<T> | undefined;
  if (!call) {
    call = api<T>(path);
    inFlight.set(key, call);
    const forget = () => inFlight.delete(key);
    call.then(forget, forget);
  }
  return call;
}

let attempts = 0;

/** GETs a path when it changes; reload() fetches again (after a post, or from the error state). */
export function useApi<T>(path: string): ApiState<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  // Numbered across the app, so a reload, or a later visit, is never mistaken for the same GET.
  const [attempt, setAttempt] = useState(() => ++attempts);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    sharedGet<T>(path, attempt).then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (error: ApiError) => current && setLoaded({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [path, attempt]);
  const reload = useCallback(() => setAttempt(++attempts), []);
  const replace = useCallback((data: T) => setLoaded({ state: 'ready', data }), []);
  return { ...loaded, reload, replace };
}
