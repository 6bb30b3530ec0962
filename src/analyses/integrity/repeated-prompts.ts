/**
 * Near-duplicate prompts repeated across sessions: the same instruction (by similarity
 * fingerprint — the prompt text is never stored) pasted into session after session that
 * produce nothing durable. Everyone repeats some prompts ("commit this and open a PR"), but in
 * sessions that ship; a cluster counts only when most of its sessions are waste, and the person
 * is compared with peers on how many such sessions they have. A prompt that many colleagues
 * type too is a team idiom ("run the tests and fix what fails"), not a personal loop: clusters
 * holding such a fingerprint are left out.
 * @module
 */
import { costOf, fingerprintsOf, type IntegrityContext, idsOf, isWaste, peersOf } from './context.js';
import { clusterFingerprints } from './fingerprint-clusters.js';
import { log1p, median, robustZ } from './stats.js';
import { evidence, type Finding, round } from './types.js';

export interface RepeatedPromptThresholds {
  /** Hamming distance (of 64 bits) within which two prompts are near-duplicates. */
  maxDistance: number;
  /** Waste sessions in one cluster. */
  minSessions: number;
  /** Waste sessions / sessions of the cluster. */
  minWasteShare: number;
  /** Robust z of log(1 + repeated waste sessions) against the peer group. */
  minPeerZ: number;
  /** A fingerprint typed by at least this share of the people in the window (and 3 people) is an idiom. */
  idiomShare: number;
}

export const REPEATED_PROMPTS: RepeatedPromptThresholds = {
  maxDistance: 3,
  minSessions: 5,
  minWasteShare: 0.7,
  minPeerZ: 3,
  idiomShare: 0.05,
};

interface Repeats {
  /** Waste sessions in qualifying clusters. */
  sessions: number[];
  clusters: number;
  /** Sessions of the largest qualifying cluster. */
  largest: number;
}

/** A group of one person's near-identical prompts that is mostly waste: a candidate repeat. */
interface Candidate {
  fingerprints: string[];
  /** All its sessions, and those that are waste. */
  sessions: number;
  waste: number[];
}

/**
 * The person's clusters with enough waste sessions, before team idioms are taken out. Most
 * prompts are unique, so only clusters with enough fingerprints to hold enough sessions are
 * looked at further.
 */
function candidatesOf(
  ctx: IntegrityContext,
  fps: readonly string[],
  owner: readonly number[],
  th: RepeatedPromptThresholds,
): Candidate[] {
  if (fps.length < th.minSessions) return [];
  const cluster = clusterFingerprints(fps, th.maxDistance);
  const size = new Int32Array(fps.length);
  for (const c of cluster) size[c]!++;
  const members = new Map<number, { fingerprints: string[]; sessions: Set<number> }>();
  cluster.forEach((c, k) => {
    if (size[c]! < th.minSessions) return;
    let m = members.get(c);
    if (!m) {
      m = { fingerprints: [], sessions: new Set() };
      members.set(c, m);
    }
    m.fingerprints.push(fps[k]!);
    m.sessions.add(owner[k]!);
  });
  const out: Candidate[] = [];
  for (const m of members.values()) {
    if (m.sessions.size < th.minSessions) continue;
    const waste = [...m.sessions].filter((i) => isWaste(ctx, i));
    if (waste.length < th.minSessions || waste.length < th.minWasteShare * m.sessions.size) continue;
    out.push({ fingerprints: m.fingerprints, sessions: m.sessions.size, waste });
  }
  return out;
}

/**
 * Of `wanted`, the fingerprints typed (exactly) by many people in the window: team idioms. Only
 * the candidates' fingerprints are counted (counting every prompt's people was most of this
 * signal's time at thousands of engineers); a person's sessions are visited together, so each
 * person counts once per fingerprint.
 */
function idioms(
  ctx: IntegrityContext,
  th: RepeatedPromptThresholds,
  byPerson: Iterable<readonly string[]>,
  wanted: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  if (wanted.size === 0) return out;
  const users = new Map<string, number>();
  const mine = new Set<string>();
  for (const fps of byPerson) {
    mine.clear();
    for (const f of fps) if (wanted.has(f)) mine.add(f);
    for (const f of mine) users.set(f, (users.get(f) ?? 0) + 1);
  }
  const min = Math.max(3, th.idiomShare * ctx.people.length);
  for (const [f, n] of users) if (n >= min) out.add(f);
  return out;
}

function repeatsOf(
  ctx: IntegrityContext,
  candidates: readonly Candidate[],
  idiom: ReadonlySet<string>,
): Repeats {
  const hit = new Set<number>();
  let clusters = 0;
  let largest = 0;
  for (const c of candidates) {
    if (c.fingerprints.some((f) => idiom.has(f))) continue;
    clusters++;
    largest = Math.max(largest, c.sessions);
    for (const i of c.waste) hit.add(i);
  }
  const sorted = [...hit].sort(
    (a, b) => ctx.model.sessions[a]!.firstTs - ctx.model.sessions[b]!.firstTs || a - b,
  );
  return { sessions: sorted, clusters, largest };
}

export function repeatedPrompts(
  ctx: IntegrityContext,
  th: RepeatedPromptThresholds = REPEATED_PROMPTS,
): Finding[] {
  const candidates = new Map<string, Candidate[]>();
  const wanted = new Set<string>();
  // Every person's fingerprints, read once: the idioms need them again.
  const prompts = new Map<string, string[]>();
  for (const p of ctx.people) {
    const fps: string[] = [];
    const owner: number[] = [];
    for (const i of ctx.sessionsOf.get(p) ?? [])
      for (const f of fingerprintsOf(ctx, i)) {
        fps.push(f);
        owner.push(i);
      }
    prompts.set(p, fps);
    const list = candidatesOf(ctx, fps, owner, th);
    candidates.set(p, list);
    for (const c of list) for (const f of c.fingerprints) wanted.add(f);
  }
  const idiom = idioms(ctx, th, prompts.values(), wanted);
  const all = new Map<string, Repeats>();
  for (const p of ctx.people) all.set(p, repeatsOf(ctx, candidates.get(p)!, idiom));
  const out: Finding[] = [];
  for (const p of ctx.people) {
    const r = all.get(p)!;
    if (r.sessions.length < th.minSessions) continue;
    const { group, peers } = peersOf(ctx, p);
    const cmp = robustZ(
      log1p(r.sessions.length),
      peers.map((q) => log1p(all.get(q)!.sessions.length)),
      { minSample: ctx.minPeers, madFloor: 0.35 },
    );
    if (cmp.z === null || cmp.z < th.minPeerZ) continue;
    const cost = costOf(ctx, r.sessions);
    const spend = costOf(ctx, ctx.sessionsOf.get(p) ?? []);
    const ids = idsOf(ctx, r.sessions);
    out.push({
      signal: 'repeated_prompts',
      personId: p,
      peerGroup: group,
      window: ctx.window,
      severity: r.sessions.length >= 3 * th.minSessions || cost >= 0.25 * spend ? 'high' : 'medium',
      reason:
        `the same prompt (within ${th.maxDistance} bits of 64) started ${r.sessions.length} sessions ` +
        `in ${r.clusters} group(s) that shipped nothing durable ($${round(cost)})`,
      evidence: evidence(
        {
          repeatedSessions: r.sessions.length,
          clusters: r.clusters,
          largestCluster: r.largest,
          repeatedCostUsd: round(cost),
          spendUsd: round(spend),
          peerMedianRepeatedSessions: median(peers.map((q) => all.get(q)!.sessions.length)),
          peerZ: round(cmp.z, 2),
          thresholdDistance: th.maxDistance,
          thresholdWasteShare: th.minWasteShare,
        },
        { sessionIds: ids, wastedSessionIds: ids },
      ),
      wastedUsd: round(cost),
    });
  }
  return out;
}
