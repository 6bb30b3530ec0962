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
import { costOf, type IntegrityContext, idsOf, isWaste, peersOf } from './context.js';
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

/** Fingerprints typed (exactly) by many people in the window. */
function idioms(ctx: IntegrityContext, th: RepeatedPromptThresholds): Set<string> {
  const users = new Map<string, Set<string>>();
  for (const [person, sessions] of ctx.sessionsOf)
    for (const i of sessions)
      for (const f of ctx.model.sessions[i]!.promptFingerprints ?? []) {
        let set = users.get(f);
        if (!set) {
          set = new Set();
          users.set(f, set);
        }
        set.add(person);
      }
  const min = Math.max(3, th.idiomShare * ctx.people.length);
  const out = new Set<string>();
  for (const [f, set] of users) if (set.size >= min) out.add(f);
  return out;
}

function repeatsOf(
  ctx: IntegrityContext,
  sessions: readonly number[],
  th: RepeatedPromptThresholds,
  idiom: ReadonlySet<string>,
): Repeats {
  const fps: string[] = [];
  const owner: number[] = [];
  for (const i of sessions)
    for (const f of ctx.model.sessions[i]!.promptFingerprints ?? []) {
      fps.push(f);
      owner.push(i);
    }
  const none: Repeats = { sessions: [], clusters: 0, largest: 0 };
  if (fps.length < th.minSessions) return none;
  const cluster = clusterFingerprints(fps, th.maxDistance);
  const members = new Map<number, Set<number>>();
  const common = new Set<number>();
  cluster.forEach((c, k) => {
    if (idiom.has(fps[k]!)) common.add(c);
    let set = members.get(c);
    if (!set) {
      set = new Set();
      members.set(c, set);
    }
    set.add(owner[k]!);
  });
  const hit = new Set<number>();
  let clusters = 0;
  let largest = 0;
  for (const [c, set] of members) {
    if (set.size < th.minSessions || common.has(c)) continue;
    const waste = [...set].filter((i) => isWaste(ctx, i));
    if (waste.length < th.minSessions || waste.length < th.minWasteShare * set.size) continue;
    clusters++;
    largest = Math.max(largest, set.size);
    for (const i of waste) hit.add(i);
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
  const idiom = idioms(ctx, th);
  const all = new Map<string, Repeats>();
  for (const p of ctx.people) all.set(p, repeatsOf(ctx, ctx.sessionsOf.get(p) ?? [], th, idiom));
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
