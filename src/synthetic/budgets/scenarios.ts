/**
 * The scenarios of the forecast backtest. `uber` is the issue's: 5,000 engineers, agentic users
 * from 32 % to 84 % in the first two months of the fiscal year, an annual budget that runs out in
 * April. The others change the ramp (shape, speed, start, level), add a drift in spend per person
 * or remove the ramp, so the model is judged on more than the one story it was written for. Each
 * seed draws its own costs, noise and exhaustion day in April.
 * @module
 */
import { hashSeed, Rng } from '../prng.js';
import type { RampScenario } from './ramp-org.js';

export const SCENARIO_NAMES = [
  'uber',
  'uber-s-curve',
  'slow-ramp',
  'fast-ramp',
  'late-ramp',
  'drift',
  'steady',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Scenarios the acceptance gate applies to (the ramp, whatever its exact shape). */
export const GATED: readonly ScenarioName[] = ['uber', 'uber-s-curve'];

export function scenario(name: ScenarioName, seed: number, engineers = 5000): RampScenario {
  const rng = new Rng(hashSeed('eval-forecast', name, seed));
  const exhaustDay = 5 + rng.int(0, 20); // 5–25 April
  const base: RampScenario = {
    name,
    seed,
    engineers,
    teams: 20,
    yearStart: '2026-01-01',
    historyDays: 56,
    agenticFrom: 0.32,
    agenticTo: 0.84,
    rampStartDay: 0,
    rampDays: 59,
    shape: 'linear',
    activeShare: 0.9 + 0.06 * rng.next(),
    costAgentic: 30 + 20 * rng.next(),
    costPlain: 4 + 4 * rng.next(),
    intensityGrowthPerMonth: 0,
    noise: 0.5 + 0.3 * rng.next(),
    exhaustOn: `2026-04-${String(exhaustDay).padStart(2, '0')}`,
  };
  switch (name) {
    case 'uber':
      return base;
    case 'uber-s-curve':
      return { ...base, shape: 's-curve' };
    case 'slow-ramp':
      return { ...base, agenticFrom: 0.2, agenticTo: 0.7, rampDays: 120 };
    case 'fast-ramp':
      return { ...base, agenticFrom: 0.4, agenticTo: 0.88, rampDays: 30 };
    case 'late-ramp':
      return { ...base, rampStartDay: 21, rampDays: 45 };
    case 'drift':
      return { ...base, intensityGrowthPerMonth: 0.06 };
    case 'steady':
      return { ...base, agenticFrom: 0.6, agenticTo: 0.6 };
  }
}
