import { describe, expect, it } from 'vitest';
import { board } from './board.js';
import { boardFixture } from './fixtures.js';

describe('badges', () => {
  const b = board(boardFixture(), { level: 'person', allowIndividuals: true });
  const badges = (id: string) => b.entries.find((e) => e.id === id)!.badges.map((x) => x.id);

  it('gives the cache-efficiency badge only among people who ship', () => {
    // Burner reads 99.9 % of prompt tokens from cache but ships nothing: no badge.
    expect(badges('burner')).toEqual([]);
    // Power: 9000 / (1000 + 9000) = 90 %, the best among the four shippers with AI spend.
    expect(badges('power')).toContain('cache_efficiency');
    expect(badges('p3')).not.toContain('cache_efficiency');
  });

  it('rewards outcomes: five AI sessions that all shipped make an agent finisher', () => {
    expect(badges('power')).toContain('agent_finisher');
    expect(badges('power')).toContain('durable_work');
  });

  it('never rewards volume', () => {
    // The biggest spender and token user without outcomes earns nothing at all.
    const all = b.entries.flatMap((e) => e.badges.map((x) => x.id));
    expect(
      all.every((id) =>
        ['cache_efficiency', 'cost_efficiency', 'steady_shipper', 'durable_work', 'agent_finisher'].includes(
          id,
        ),
      ),
    ).toBe(true);
    expect(badges('burner')).toEqual([]);
  });
});
