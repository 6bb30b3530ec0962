/**
 * The shape of each generated organisation, drawn from its seed so that no two seeds are the
 * same scenario: team count and sizes, how much context (and so money) a call carries, how
 * intensely the planted people misbehave, and how many of each there are.
 * @module
 */
import { Rng } from '../prng.js';

export const PLANTED = [
  'overnight_loops',
  'repeated_prompts',
  'cache_padding',
  'deadline_spikes',
  'tiny_pr_splitting',
  'churner',
  'no_outcome_spender',
] as const;
export type PlantedBehaviour = (typeof PLANTED)[number];
export type Behaviour = 'honest_light' | 'honest_heavy' | PlantedBehaviour;

export interface IntegrityOrgParams {
  seed: number;
  teams: number;
  minTeamSize: number;
  maxTeamSize: number;
  /** Days generated; the evaluation window is the last `windowDays`. */
  days: number;
  windowDays: number;
  /** Multiplies every call's context (and so its cost). */
  contextScale: number;
  /** Share of honest people who are heavy users. */
  heavyShare: number;
  /** Planted people per behaviour. */
  plantedPerBehaviour: number;
  /** Multiplies how often and how much the planted people misbehave (1 = nominal). */
  intensity: number;
  /** Share of honest people who crunch (more work that ships) before each month closes. */
  honestCrunchShare: number;
}

export function paramsForSeed(seed: number): IntegrityOrgParams {
  const rng = Rng.derive(seed, 'integrity-params');
  const teams = rng.int(9, 14);
  const minTeamSize = rng.int(6, 8);
  return {
    seed,
    teams,
    minTeamSize,
    maxTeamSize: minTeamSize + rng.int(3, 6),
    days: rng.int(91, 112),
    windowDays: 56,
    contextScale: 0.5 + rng.next() * 1.5,
    heavyShare: 0.1 + rng.next() * 0.12,
    plantedPerBehaviour: rng.int(2, 3),
    intensity: 0.6 + rng.next() * 0.8,
    honestCrunchShare: 0.15 + rng.next() * 0.2,
  };
}
