/**
 * An in-app link: a real `<a href>` (open in a new tab works) that navigates without a reload,
 * carrying the current filters unless told otherwise.
 * @module
 */
import type { ReactNode } from 'react';
import { linkWithFilters } from '../filters.js';
import { navigate, useLocation } from '../router.js';

export interface LinkProps {
  to: string;
  /** Extra query parameters for the target (the filters are kept). */
  params?: Record<string, string>;
  children: ReactNode;
  className?: string;
}

export function Link({ to, params, children, className }: LinkProps) {
  const { query } = useLocation();
  const target = linkWithFilters(to, query, params);
  return (
    <a
      href={target}
      className={className}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(target);
      }}
    >
      {children}
    </a>
  );
}
