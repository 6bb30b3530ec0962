/**
 * The filter bar: date range, team and tool. Its state is the URL query, so changing a filter is
 * a navigation (the back button undoes it) and every page reads the same filters.
 * @module
 */
import { type FilterKey, readFilters, TOOLS, withParams } from '../filters.js';
import { href, navigate, useLocation } from '../router.js';
import type { Team } from '../types.js';

export interface FiltersProps {
  /** Teams the caller may filter by (those they may read). */
  teams: readonly Team[];
  /** Filters this page does not apply, with the reason shown beside them. */
  notApplied?: Partial<Record<FilterKey, string>>;
}

export function Filters({ teams, notApplied = {} }: FiltersProps) {
  const { path, query } = useLocation();
  const filters = readFilters(query);
  const set = (key: FilterKey, value: string) => navigate(href(path, withParams(query, { [key]: value })));
  const clear = () =>
    navigate(
      href(path, withParams(query, { since: undefined, until: undefined, team: undefined, tool: undefined })),
    );
  const note = (key: FilterKey) =>
    notApplied[key] ? (
      <span className="not-applied" title={notApplied[key]}>
        not applied here
      </span>
    ) : null;

  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        From
        <input
          type="date"
          name="since"
          value={filters.since ?? ''}
          max={filters.until}
          onChange={(e) => set('since', e.target.value)}
        />
        {note('since')}
      </label>
      <label>
        To
        <input
          type="date"
          name="until"
          value={filters.until ?? ''}
          min={filters.since}
          onChange={(e) => set('until', e.target.value)}
        />
        {note('until')}
      </label>
      <label>
        Team
        <select
          name="team"
          value={filters.team ?? ''}
          disabled={teams.length === 0}
          title={teams.length === 0 ? 'Your token reads no team: you see your own numbers.' : undefined}
          onChange={(e) => set('team', e.target.value)}
        >
          <option value="">{teams.length === 0 ? 'only you' : 'all you may read'}</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {note('team')}
      </label>
      <label>
        Tool
        <select name="tool" value={filters.tool ?? ''} onChange={(e) => set('tool', e.target.value)}>
          <option value="">all tools</option>
          {TOOLS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        {note('tool')}
      </label>
      <button type="button" onClick={clear} disabled={Object.keys(filters).length === 0}>
        Clear filters
      </button>
      <span className="muted">All dates are UTC days, both ends included.</span>
    </form>
  );
}
