/**
 * Loads one API answer for a component, refetching when the path or query changes and dropping
 * answers to requests that were superseded.
 * @module
 */
import { useEffect, useState } from 'react';
import { ApiError, apiGet, apiUrl, type Query } from './api.js';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ok'; data: T };

/** `path` null: nothing to load yet (the state stays loading). */
export function useApi<T>(path: string | null, query: Query = {}): Loaded<T> {
  const key = path === null ? null : apiUrl(path, query);
  const [result, setResult] = useState<{ key: string | null; loaded: Loaded<T> }>({
    key: null,
    loaded: { state: 'loading' },
  });

  useEffect(() => {
    if (key === null) return;
    const abort = new AbortController();
    setResult({ key, loaded: { state: 'loading' } });
    apiGet<T>(key, {}, { signal: abort.signal }).then(
      (data) => setResult({ key, loaded: { state: 'ok', data } }),
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const error =
          err instanceof ApiError
            ? err
            : new ApiError(0, 'client', err instanceof Error ? err.message : String(err));
        setResult({ key, loaded: { state: 'error', error } });
      },
    );
    return () => abort.abort();
  }, [key]);

  // Until the effect has run for a new key, the previous answer belongs to other filters.
  return result.key === key ? result.loaded : { state: 'loading' };
}
