/**
 * A router of a few lines over the History API: the dashboard has a handful of pages and keeps
 * its state in the URL, so a library would add weight and nothing else.
 * @module
 */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// A string snapshot: useSyncExternalStore compares snapshots with Object.is.
function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface Place {
  path: string;
  query: URLSearchParams;
}

export function useLocation(): Place {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.searchParams };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

export function href(path: string, query: URLSearchParams): string {
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
