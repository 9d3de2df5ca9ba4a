import type { ReactNode } from 'react';
import type { Loaded } from '../useApi.ts';

/** Loading, error and empty states around whatever a page shows once its data is there. */
export function Data<T>({ loaded, reload, empty, isEmpty, children }: {
  loaded: Loaded<T>;
  reload: () => void;
  empty: string;
  isEmpty: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (loaded.state === 'loading') return <p className="state loading" role="status">Loading…</p>;
  if (loaded.state === 'error') {
    return (
      <div className="state error" role="alert">
        <p>{loaded.error.message}</p>
        <button type="button" onClick={reload}>Try again</button>
      </div>
    );
  }
  if (isEmpty(loaded.data)) return <p className="state empty">{empty}</p>;
  return <>{children(loaded.data)}</>;
}
