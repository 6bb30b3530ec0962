/**
 * Expands one planned AI session into the usage and activity records its tool would have left.
 *
 * Token numbers follow each vendor's caching: Claude Code re-reads the whole conversation from
 * the prompt cache on every call and writes only what is new (to the 5-minute or 1-hour cache,
 * and everything again once an idle gap outlives the TTL); Codex reports OpenAI-style input that
 * includes the cached prefix (128-token granularity); Gemini's implicit cache hits only some of
 * the time. Conversations grow until the tool compacts them. Costs come from the ledger's own
 * pricing code, so the demo's dollars are the dollars the product would compute.
 * @module
 */
import { type PriceBook, priceUsage } from '../../ledger/pricing/index.js';
import type {
  ActivityKind,
  ActivityRecord,
  Provider,
  TokenBuckets,
  Tool,
  UsageRecord,
} from '../../ledger/records.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { PricingRow } from '../../ledger/store/store.js';
import { promptFingerprint } from '../../sources/fingerprint.js';
import { Rng } from '../prng.js';
import { burnerPrompt, workPrompt } from './names.js';
import type { DemoMember, OrgModel } from './org.js';
import type { PlannedPr, PlannedSession } from './plan.js';

const SEC = 1000;
const MIN = 60_000;

export interface RecordSink {
  usage: UsageRecord[];
  activity: ActivityRecord[];
}

export interface UsageContext {
  org: OrgModel;
  book: PriceBook;
  /** Full SHA of a PR's commit (by index): real for git-backed repositories, derived otherwise. */
  shaFor(repo: number, pr: number, commit: number): string;
}

const PROVIDER: Record<string, Provider> = {
  'claude-code': 'anthropic',
  codex: 'openai',
  'gemini-cli': 'google',
};

/** Tool names as each agent writes them: [read-like, edit, write, shell]. */
const TOOL_NAMES: Record<string, readonly [readonly string[], string, string, string]> = {
  'claude-code': [['Read', 'Grep', 'Glob', 'Bash', 'Read'], 'Edit', 'Write', 'Bash'],
  codex: [['shell', 'shell', 'update_plan'], 'apply_patch', 'apply_patch', 'shell'],
  'gemini-cli': [
    ['read_file', 'search_file_content', 'glob', 'run_shell_command'],
    'replace',
    'write_file',
    'run_shell_command',
  ],
};

const HAIKU = 'claude-haiku-4-5-20251001';

/** The conversation context one agent carries from call to call. */
class Context {
  private ctx: number;
  private lastTs = -Infinity;

  constructor(
    private readonly rng: Rng,
    private readonly tool: Tool,
    base: number,
    private readonly cache1h: boolean,
    private readonly limit: number,
  ) {
    this.ctx = base;
  }

  /** Tokens of one call at `ts` that adds `delta` new prompt tokens and writes `output`. */
  call(ts: number, delta: number, output: number): TokenBuckets {
    const rng = this.rng;
    const idle = ts - this.lastTs;
    this.lastTs = ts;
    const prev = this.ctx;
    let t: TokenBuckets;
    if (this.tool === 'claude-code') {
      const ttl = this.cache1h ? 60 * MIN : 5 * MIN;
      const hit = idle <= ttl;
      const write = hit ? delta : prev + delta;
      t = {
        inputUncached: rng.int(1, 9),
        cacheRead: hit ? prev : 0,
        cacheWrite5m: this.cache1h ? 0 : write,
        cacheWrite1h: this.cache1h ? write : 0,
        cacheWriteOther: 0,
        output,
        reasoning: 0,
      };
    } else if (this.tool === 'codex') {
      const cached = idle <= 10 * MIN ? Math.floor(prev / 128) * 128 : 0;
      t = {
        inputUncached: prev + delta - cached,
        cacheRead: cached,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheWriteOther: 0,
        output,
        reasoning: Math.round(output * (0.3 + 0.4 * rng.next())),
      };
    } else {
      const cached = idle <= 5 * MIN && rng.chance(0.6) ? Math.round(prev * (0.5 + 0.4 * rng.next())) : 0;
      t = {
        inputUncached: prev + delta - cached,
        cacheRead: cached,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheWriteOther: 0,
        output,
        reasoning: Math.round(output * 0.6 * rng.next()),
      };
    }
    this.ctx = prev + delta + output;
    // Compaction: the tool summarises the conversation and starts a fresh context.
    if (this.ctx > this.limit) this.ctx = Math.round(this.limit * 0.12) + rng.int(2_000, 8_000);
    return t;
  }
}

/**
 * A session's summary folded call by call, the way the store's session summary reads it
 * (`readSessionSummaries`): a year of an org's calls then never exists as record objects.
 */
class SummaryFold {
  firstTs = Number.POSITIVE_INFINITY;
  lastTs = Number.NEGATIVE_INFINITY;
  /** The branch of the latest call (`arg_max(git_branch, ts)`). */
  branch: string | null = null;
  calls = 0;
  costUsd = 0;
  unpricedCalls = 0;
  inputTokens = 0;
  cacheReadTokens = 0;
  cacheWriteTokens = 0;
  outputTokens = 0;
  subagents = false;
  prompts = 0;
  toolUses = 0;
  edits = 0;
  linesAdded = 0;
  linesRemoved = 0;
  commits: string[] = [];
  prUrls: string[] = [];
  /** Reused for every call's price: only the tokens and web searches change within a session. */
  readonly row: PricingRow;

  constructor(session: PlannedSession, provider: Provider) {
    this.row = {
      id: session.id,
      tool: session.tool,
      provider,
      model: session.model,
      speed: session.tool === 'claude-code' ? 'standard' : null,
      serviceTier: session.tool === 'claude-code' ? 'standard' : null,
      inferenceGeo: null,
      tokens: {
        inputUncached: 0,
        cacheRead: 0,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheWriteOther: 0,
        output: 0,
        reasoning: 0,
      },
      webSearchRequests: 0,
      reportedCostUsd: null,
    };
  }
}

/** The demo's own edit tool names (TOOL_NAMES' edit and write entries); a test ties them to the store's list. */
const EDIT_NAMES: ReadonlySet<string> = new Set(
  Object.values(TOOL_NAMES).flatMap(([, edit, write]) => [edit, write]),
);

interface SessionState {
  ctx: UsageContext;
  session: PlannedSession;
  member: DemoMember;
  rng: Rng;
  /** Exactly one of `out` (records) and `fold` (a summary) is set. */
  out: RecordSink | null;
  fold: SummaryFold | null;
  provider: Provider;
  names: readonly [readonly string[], string, string, string];
  origin: string;
  rawIdentity: Record<string, string>;
  calls: number;
  acts: number;
  /** Branch per time: the branch of the PR being worked on when a record was written. */
  branchAt: (ts: number) => string;
}

function usage(
  s: SessionState,
  ts: number,
  model: string,
  tokens: TokenBuckets,
  sub: boolean,
  webSearch: number,
): void {
  const { session } = s;
  const n = s.calls++;
  const f = s.fold;
  if (f !== null) {
    if (ts < f.firstTs) f.firstTs = ts;
    if (ts > f.lastTs) {
      f.lastTs = ts;
      f.branch = s.branchAt(ts);
    }
    f.calls++;
    f.row.model = model;
    f.row.tokens = tokens;
    f.row.webSearchRequests = webSearch;
    const cost = priceUsage(s.ctx.book, f.row).costUsd;
    if (cost === null) f.unpricedCalls++;
    else f.costUsd += cost;
    f.inputTokens += tokens.inputUncached;
    f.cacheReadTokens += tokens.cacheRead;
    f.cacheWriteTokens += tokens.cacheWrite5m + tokens.cacheWrite1h + tokens.cacheWriteOther;
    f.outputTokens += tokens.output;
    if (sub) f.subagents = true;
    return;
  }
  const record: UsageRecord = {
    id: `demo:${session.id}:${n}`,
    ts,
    source: 'demo',
    tool: session.tool,
    sessionId: session.id,
    parentSessionId: sub ? session.id : null,
    requestId: session.tool === 'claude-code' ? `req_demo${session.id.slice(0, 8)}${n.toString(36)}` : null,
    messageId: session.tool === 'codex' ? null : `msg_demo${session.id.slice(0, 8)}${n.toString(36)}`,
    model,
    provider: s.provider,
    speed: session.tool === 'claude-code' ? 'standard' : null,
    serviceTier: session.tool === 'claude-code' ? 'standard' : null,
    inferenceGeo: null,
    tokens,
    webSearchRequests: webSearch,
    credits: null,
    reportedCostUsd: null,
    cwd: session.cwd,
    gitBranch: s.branchAt(ts),
    project: session.cwd,
    isSubagent: sub,
    isSidechain: false,
    granularity: 'request',
    origin: s.origin,
    personId: s.member.person.id,
    rawIdentity: s.rawIdentity,
    costUsd: null,
    costBasis: 'unpriced',
    priceVersion: null,
  };
  const price = priceUsage(s.ctx.book, record);
  record.costUsd = price.costUsd;
  record.costBasis = price.costBasis;
  record.priceVersion = price.priceVersion;
  s.out!.usage.push(record);
}

function activity(
  s: SessionState,
  ts: number,
  kind: ActivityKind,
  fields: Partial<
    Pick<
      ActivityRecord,
      'name' | 'promptLength' | 'promptFingerprint' | 'linesAdded' | 'linesRemoved' | 'ref'
    >
  >,
  sub = false,
): void {
  const { session } = s;
  const f = s.fold;
  if (f !== null) {
    s.acts++;
    if (kind === 'prompt') {
      if (!sub) f.prompts++;
    } else if (kind === 'tool_use') {
      f.toolUses++;
      if (fields.name != null && EDIT_NAMES.has(fields.name)) f.edits++;
    } else if (kind === 'commit') {
      if (fields.ref != null && !f.commits.includes(fields.ref)) f.commits.push(fields.ref);
    } else if (kind === 'pull_request') {
      if (fields.ref != null && !f.prUrls.includes(fields.ref)) f.prUrls.push(fields.ref);
    }
    f.linesAdded += fields.linesAdded ?? 0;
    f.linesRemoved += fields.linesRemoved ?? 0;
    return;
  }
  s.out!.activity.push({
    id: `demo:a:${session.id}:${s.acts++}`,
    ts,
    source: 'demo',
    tool: session.tool,
    sessionId: session.id,
    kind,
    name: fields.name ?? null,
    promptLength: fields.promptLength ?? null,
    promptFingerprint: fields.promptFingerprint ?? null,
    linesAdded: fields.linesAdded ?? 0,
    linesRemoved: fields.linesRemoved ?? 0,
    ref: fields.ref ?? null,
    cwd: session.cwd,
    gitBranch: s.branchAt(ts),
    isSubagent: sub,
    origin: s.origin,
    personId: s.member.person.id,
  });
}

function prompt(s: SessionState, ts: number, text: string): void {
  // A summary counts prompts; the fingerprint was a quarter of the fold's time.
  if (s.fold !== null) activity(s, ts, 'prompt', {});
  else activity(s, ts, 'prompt', { promptLength: text.length, promptFingerprint: promptFingerprint(text) });
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : Math.round(x);
}

/**
 * One human turn: the prompt, then `calls` model calls spaced across [from, to), each but the
 * last running a tool. Edits are written separately, where the plan puts them.
 */
function turn(
  s: SessionState,
  agent: Context,
  from: number,
  to: number,
  calls: number,
  text: string | null,
  shape: { delta: number; output: number; webSearch?: number },
): void {
  const { rng } = s;
  if (text !== null) prompt(s, from, text);
  const step = Math.max(2 * SEC, Math.min(90 * SEC, (to - from) / (calls + 1)));
  let ts = from;
  for (let i = 0; i < calls; i++) {
    ts += Math.round(step * (0.5 + rng.next()));
    const delta = clamp(rng.logNormal(shape.delta, 1), 20, 40_000);
    const output = clamp(rng.logNormal(shape.output, 0.9), 1, 12_000);
    const web = shape.webSearch !== undefined && rng.chance(shape.webSearch) ? 1 : 0;
    usage(s, ts, s.session.model, agent.call(ts, delta, output), false, web);
    if (i < calls - 1) activity(s, ts + SEC, 'tool_use', { name: rng.pick(s.names[0]) });
  }
}

/** A Claude Code subagent (Explore/Task) run on Haiku with its own context. */
function subagent(s: SessionState, from: number): void {
  const { rng } = s;
  activity(s, from, 'tool_use', { name: 'Task' });
  const agent = new Context(rng, 'claude-code', rng.int(7_000, 11_000), s.member.cache1h, 160_000);
  let ts = from;
  const calls = rng.int(4, 12);
  for (let i = 0; i < calls; i++) {
    ts += rng.int(3, 15) * SEC;
    const tokens = agent.call(
      ts,
      clamp(rng.logNormal(2_500, 0.8), 50, 30_000),
      clamp(rng.logNormal(180, 0.8), 1, 4_000),
    );
    usage(s, ts, HAIKU, tokens, true, 0);
    activity(s, ts + SEC, 'tool_use', { name: rng.pick(['Read', 'Grep', 'Glob']) }, true);
  }
}

function edit(s: SessionState, ts: number, added: number, removed: number): void {
  const name = added > 30 && s.rng.chance(0.3) ? s.names[2] : s.names[1];
  activity(s, ts, 'tool_use', { name });
  activity(s, ts, 'lines_changed', { name, linesAdded: added, linesRemoved: removed });
}

function newContext(s: SessionState, base: number): Context {
  const limit = s.session.tool === 'claude-code' ? 165_000 : s.session.tool === 'codex' ? 240_000 : 180_000;
  return new Context(s.rng, s.session.tool, base, s.member.cache1h, limit);
}

function shipSession(s: SessionState): void {
  const { rng, session, ctx } = s;
  const agent = newContext(s, rng.int(14_000, 22_000));
  let segStart = session.start;
  for (const pr of session.prs) {
    const tiny = pr.kind === 'tiny';
    const workEnd = pr.commits[pr.commits.length - 1]!.ts;
    // People who ship a lot hand the agent bigger tasks: more turns, longer agentic runs.
    const heavy = s.member.behaviour === 'heavy_shipper';
    const prompts = tiny ? rng.int(1, 2) : heavy ? rng.int(5, 10) : rng.int(3, 8);
    const span = workEnd - segStart;
    for (let p = 0; p < prompts; p++) {
      const from = segStart + Math.round((span * p) / prompts) + rng.int(0, 20) * SEC;
      const to = segStart + Math.round((span * (p + 1)) / prompts) - 30 * SEC;
      const calls = tiny ? rng.int(2, 5) : clamp(rng.logNormal(heavy ? 20 : 9, 0.5), 2, 60);
      turn(s, agent, from, to, calls, workPrompt(rng), { delta: 1_600, output: 260 });
      if (session.tool === 'claude-code' && !tiny && rng.chance(0.2)) subagent(s, from + 20 * SEC);
    }
    for (const c of pr.commits) {
      // The lines the commit holds were written by the agent's edits shortly before it.
      const edits = Math.min(c.added, rng.int(1, 3));
      for (let e = 0; e < edits; e++) {
        const share = (x: number) => Math.floor(x / edits) + (e < x % edits ? 1 : 0);
        edit(s, c.ts - (edits - e) * rng.int(40, 120) * SEC, share(c.added), share(c.removed));
      }
      const sha = ctx.shaFor(pr.repo, pr.number, c.index);
      activity(s, c.ts, 'tool_use', { name: s.names[3] });
      activity(s, c.ts, 'commit', { name: s.names[3], ref: sha.slice(0, 7) });
    }
    const url = `https://github.com/${ctx.org.repos[pr.repo]!.key}/pull/${pr.number}`;
    activity(s, pr.createdAt, 'tool_use', { name: s.names[3] });
    activity(s, pr.createdAt, 'pull_request', { name: s.names[3], ref: url });
    segStart = pr.createdAt + MIN;
  }
}

function otherSession(s: SessionState): void {
  const { rng, session, member } = s;
  const { start, end } = session;
  const span = end - start;
  switch (session.kind) {
    case 'explore': {
      const agent = newContext(s, rng.int(12_000, 18_000));
      const prompts = rng.int(2, 6);
      for (let p = 0; p < prompts; p++) {
        const from = start + Math.round((span * p) / prompts);
        turn(s, agent, from, from + span / prompts, rng.int(2, 6), workPrompt(rng), {
          delta: 2_500,
          output: 320,
          webSearch: 0.03,
        });
      }
      return;
    }
    case 'uncommitted': {
      const agent = newContext(s, rng.int(14_000, 22_000));
      const prompts = rng.int(4, 10);
      for (let p = 0; p < prompts; p++) {
        const from = start + Math.round((span * p) / prompts);
        const to = from + span / prompts;
        turn(s, agent, from, to, clamp(rng.logNormal(8, 0.5), 2, 30), workPrompt(rng), {
          delta: 1_800,
          output: 300,
        });
        for (let e = rng.int(1, 3); e > 0; e--) {
          edit(
            s,
            from + rng.int(1, Math.max(2, Math.floor((to - from) / SEC) - 1)) * SEC,
            rng.int(3, 60),
            rng.int(0, 25),
          );
        }
      }
      return;
    }
    case 'loop': {
      const agent = newContext(s, rng.int(20_000, 30_000));
      const calls = Math.floor(span / (rng.int(40, 70) * SEC));
      turn(s, agent, start, end, calls, burnerPrompt(rng, member.index), { delta: 2_200, output: 150 });
      return;
    }
    case 'padding': {
      // Context stuffed with whole directories up front; every call re-reads it for a few tokens.
      const agent = new Context(rng, session.tool, rng.int(150_000, 175_000), true, 190_000);
      const prompts = rng.int(2, 3);
      for (let p = 0; p < prompts; p++) {
        const from = start + Math.round((span * p) / prompts);
        turn(s, agent, from, from + span / prompts, rng.int(30, 70), workPrompt(rng), {
          delta: 60,
          output: 14,
        });
      }
      return;
    }
    case 'grind': {
      const agent = newContext(s, rng.int(14_000, 20_000));
      const prompts = rng.int(8, 15);
      for (let p = 0; p < prompts; p++) {
        const from = start + Math.round((span * p) / prompts);
        turn(s, agent, from, from + span / prompts, rng.int(4, 10), burnerPrompt(rng, member.index), {
          delta: 2_000,
          output: 400,
        });
      }
      return;
    }
    case 'ship':
      throw new Error('ship sessions are expanded by shipSession');
  }
}

function branchLookup(session: PlannedSession): (ts: number) => string {
  const prs: PlannedPr[] = session.prs;
  if (prs.length <= 1) {
    const b = session.branch;
    return () => b;
  }
  return (ts) => {
    for (const pr of prs) if (ts <= pr.createdAt) return pr.branch;
    return prs[prs.length - 1]!.branch;
  };
}

function run(
  ctx: UsageContext,
  session: PlannedSession,
  out: RecordSink | null,
  fold: SummaryFold | null,
): void {
  const member = ctx.org.members[session.member]!;
  const s: SessionState = {
    ctx,
    session,
    member,
    rng: Rng.derive(ctx.org.options.seed, 'session', session.id),
    out,
    fold,
    provider: PROVIDER[session.tool]!,
    names: TOOL_NAMES[session.tool]!,
    origin: `demo:${member.osUser}/${session.tool}/${session.id}`,
    rawIdentity: member.rawIdentity[session.tool]!,
    calls: 0,
    acts: 0,
    branchAt: branchLookup(session),
  };
  if (session.kind === 'ship') shipSession(s);
  else otherSession(s);
}

export function expandSession(ctx: UsageContext, session: PlannedSession, out: RecordSink): void {
  run(ctx, session, out, null);
}

/**
 * The session's summary as the store would read it from the records `expandSession` writes
 * (subagent calls folded in, prompts without subagents', edits by tool name, SHAs and PR URLs
 * distinct and sorted), computed without creating the records. Null for a session without calls,
 * which the store has no row for.
 */
export function summariseSession(ctx: UsageContext, session: PlannedSession): SessionSummary | null {
  const f = new SummaryFold(session, PROVIDER[session.tool]!);
  run(ctx, session, null, f);
  if (f.calls === 0) return null;
  return {
    sessionId: session.id,
    tool: session.tool,
    personId: ctx.org.members[session.member]!.person.id,
    cwd: session.cwd,
    gitBranch: f.branch,
    firstTs: f.firstTs,
    lastTs: f.lastTs,
    calls: f.calls,
    costUsd: f.costUsd,
    unpricedCalls: f.unpricedCalls,
    inputTokens: f.inputTokens,
    cacheReadTokens: f.cacheReadTokens,
    cacheWriteTokens: f.cacheWriteTokens,
    outputTokens: f.outputTokens,
    prompts: f.prompts,
    toolUses: f.toolUses,
    edits: f.edits,
    linesAdded: f.linesAdded,
    linesRemoved: f.linesRemoved,
    commitShas: f.commits.sort(),
    prUrls: f.prUrls.sort(),
    agentic: f.edits > 0 || f.subagents || f.toolUses >= 3 * Math.max(1, f.prompts),
  };
}
