/**
 * What a section shows while its data loads, when there is none, and when the request failed.
 * @module
 */
import type { ReactNode } from 'react';
import type { ApiError } from '../api.js';
import type { Loaded } from '../use-api.js';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function ErrorState({ error, what }: { error: ApiError; what: string }) {
  const title =
    error.status === 403
      ? `You may not view ${what}.`
      : error.status === 404
        ? `No ${what} here.`
        : `Could not load ${what}.`;
  return (
    <div className="state error" role="alert" data-status={error.status}>
      <strong>{title}</strong> <span>{error.message}</span>
    </div>
  );
}

/** Renders `ok` with the data once loaded, or the loading or error state. */
export function Await<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (loaded.state === 'loading') return <Loading what={what} />;
  if (loaded.state === 'error') return <ErrorState error={loaded.error} what={what} />;
  return <>{children(loaded.data)}</>;
}
