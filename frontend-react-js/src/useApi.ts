import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; data: T };

/** GETs a path when it changes; reload() fetches again (after a post, or from the error state). */
export function useApi<T>(path: string): Loaded<T> & { reload: () => void; replace: (data: T) => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    api<T>(path).then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (error: ApiError) => current && setLoaded({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [path, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((data: T) => setLoaded({ state: 'ready', data }), []);
  return { ...loaded, reload, replace };
}
