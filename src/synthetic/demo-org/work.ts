/**
 * Turns the organisation's plan into outcome records: the commits and merges of every PR, the
 * production deployments that ship them, the incident and rollback a bad change causes, the
 * reverts, and the tickets closed. For git-backed repositories it also tracks file contents and
 * computes real git object ids, and writes the fast-import stream that materialises them.
 *
 * Also derives the ground truth per PR (shipped, reverted, rolled back, durable) with the
 * definitions of DESIGN §5, so tests and demos can check the analyses against it.
 * @module
 */
import { createHash } from 'node:crypto';
import type {
  AiEvidence,
  CommitRecord,
  DeploymentRecord,
  PullRequestRecord,
  TaskRecord,
  Trailer,
  WorkBatch,
} from '../../ledger/work.js';
import { Rng } from '../prng.js';
import {
  type Applied,
  applyEdit,
  applyInverse,
  type Edit,
  type Files,
  initialFiles,
  render,
} from './content.js';
import { blobId, commitId, GitTree, type Signature, signatureLine } from './git-objects.js';
import { noun, sourceLine } from './names.js';
import { type DemoRepo, ORG, type OrgModel } from './org.js';
import { type PlannedPr, type PlannedSession, Planner } from './plan.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** DESIGN §5: a change reverted within this window is not durable. */
const REVERT_WINDOW = 14 * DAY;
const GITHUB: Omit<Signature, 'seconds'> = { name: 'GitHub', email: 'noreply@github.com' };
const SCRATCH_REF = 'refs/demo/scratch';
const MAX_FILE_LINES = 240;

export const CLAUDE_TRAILER = 'Co-Authored-By: Claude <noreply@anthropic.com>';
export const CODEX_TRAILER = 'Co-authored-by: Codex <noreply@openai.com>';
export const CLAUDE_PR_BODY = '🤖 Generated with [Claude Code](https://claude.com/claude-code)';

interface Node {
  sha: string;
  mark: number;
  repo: DemoRepo;
  parents: Node[];
  author: Signature;
  committer: Signature;
  message: string;
  subject: string;
  trailers: Trailer[];
  aiEvidence: AiEvidence[];
  added: number;
  removed: number;
  files: number;
  prNumber: number | null;
  revertsSha: string | null;
  onDefaultBranch: boolean;
  /** A commit made on main (merge, squash, root), as opposed to a branch commit. */
  mainline: boolean;
  pr: PlannedPr | null;
}

interface PrState {
  pr: PlannedPr;
  nodes: Node[];
  merge: Node | null;
  /** Git-backed repositories only: the branch's files and tree, and what the merge did. */
  files?: Files;
  tree?: GitTree;
  paths?: string[];
  edits?: Edit[];
  mainApplied?: Applied[];
}

/** Per-PR ground truth with DESIGN §5's definitions. */
export interface PrTruth {
  id: string;
  repo: string;
  number: number;
  author: string;
  kind: PlannedPr['kind'];
  tool: PlannedPr['tool'];
  sessionId: string | null;
  merged: boolean;
  selfMerged: boolean;
  reverted: boolean;
  /** Shipped by a production deployment that was later rolled back. */
  rolledBack: boolean;
  rootCause: boolean;
  durable: boolean;
  deployed: boolean;
}

export interface GitRepoStream {
  repo: DemoRepo;
  chunks: Buffer[];
  /** mark → expected SHA, to check what fast-import wrote. */
  marks: Map<number, string>;
  /** Branches of PRs not merged when the period ends, kept as refs so their commits stay reachable. */
  openBranches: Array<[string, number]>;
}

export interface BuiltWork {
  work: WorkBatch;
  streams: GitRepoStream[];
  /** `<repo>:<pr>:<commit index>` → SHA, for the usage stream's commit activity. */
  shaIndex: Map<string, string>;
  prs: PrTruth[];
  /** Sessions that wrote PRs, for per-session outcome truth. */
  shipSessions: PlannedSession[];
  rollbacks: string[];
}

export function syntheticSha(seed: number, repo: DemoRepo, key: string): string {
  return createHash('sha1').update(`demo:${seed}:${repo.key}:${key}`).digest('hex');
}

export function shaKey(repo: number, pr: number, commit: number): string {
  return `${repo}:${pr}:${commit}`;
}

function trailerLines(tool: PlannedPr['tool']): string[] {
  if (tool === 'claude-code') return [CLAUDE_TRAILER];
  if (tool === 'codex') return [CODEX_TRAILER];
  return [];
}

function parseTrailer(line: string): Trailer {
  const i = line.indexOf(': ');
  return { key: line.slice(0, i), value: line.slice(i + 2) };
}

function evidenceOf(lines: string[], tool: PlannedPr['tool']): AiEvidence[] {
  return lines.map((detail) => ({ kind: 'trailer', tool: tool ?? 'unknown', detail }));
}

/** Builds one repository's history: commit nodes in time order, with git content when backed. */
class RepoBuilder {
  readonly nodes: Node[] = [];
  readonly states = new Map<number, PrState>();
  private tip: Node;
  private mark = 0;
  private serial = 0;
  private readonly files: Files | null;
  private readonly tree: GitTree | null;
  readonly stream: GitRepoStream | null;
  private readonly rng: Rng;

  constructor(
    private readonly org: OrgModel,
    readonly repo: DemoRepo,
  ) {
    const { seed } = org.options;
    this.rng = Rng.derive(seed, 'repo-content', repo.index);
    const manager = org.members.find((m) => m.person.id === org.teams[repo.team]!.managers[0])!;
    const at: Signature = {
      name: manager.name,
      email: manager.gitEmail,
      seconds: Math.floor((org.startMs - 45 * DAY + 10 * HOUR) / 1000),
    };
    const message = 'Initial commit\n';
    if (repo.git) {
      this.files = initialFiles(this.rng, repo.name, () => this.serial++);
      this.tree = new GitTree();
      this.stream = { repo, chunks: [], marks: new Map(), openBranches: [] };
    } else {
      this.files = null;
      this.tree = null;
      this.stream = null;
    }
    this.tip = this.commit({
      key: 'root',
      parents: [],
      author: at,
      committer: at,
      message,
      mainline: true,
      onDefaultBranch: true,
      ref: 'refs/heads/main',
      tree: this.tree,
      writes: this.files && this.tree ? this.updateTree(this.tree, this.files, this.files.keys()) : null,
      stats: { added: 0, removed: 0, files: 0 },
      pr: null,
      prNumber: null,
      revertsSha: null,
      trailers: [],
      tool: null,
    });
  }

  private commit(c: {
    key: string;
    parents: Node[];
    author: Signature;
    committer: Signature;
    message: string;
    mainline: boolean;
    onDefaultBranch: boolean;
    ref: string;
    tree: GitTree | null;
    /** Git-backed only: path → new content, null for a deleted file. */
    writes: Map<string, string | null> | null;
    stats: { added: number; removed: number; files: number };
    pr: PlannedPr | null;
    prNumber: number | null;
    revertsSha: string | null;
    trailers: string[];
    tool: PlannedPr['tool'];
  }): Node {
    const mark = ++this.mark;
    const parents = c.parents.map((p) => p.sha);
    const sha =
      c.tree !== null
        ? commitId(c.tree.id(), parents, c.author, c.committer, c.message)
        : syntheticSha(this.org.options.seed, this.repo, c.key);
    const node: Node = {
      sha,
      mark,
      repo: this.repo,
      parents: c.parents,
      author: c.author,
      committer: c.committer,
      message: c.message,
      subject: c.message.split('\n', 1)[0]!,
      trailers: c.trailers.map(parseTrailer),
      aiEvidence: evidenceOf(c.trailers, c.tool),
      added: c.stats.added,
      removed: c.stats.removed,
      files: c.stats.files,
      prNumber: c.prNumber,
      revertsSha: c.revertsSha,
      onDefaultBranch: c.onDefaultBranch,
      mainline: c.mainline,
      pr: c.pr,
    };
    this.nodes.push(node);
    if (this.stream && c.writes) {
      const msg = Buffer.from(c.message, 'utf8');
      let head = `commit ${c.ref}\nmark :${mark}\nauthor ${signatureLine(c.author)}\ncommitter ${signatureLine(c.committer)}\ndata ${msg.length}\n`;
      const parts: Buffer[] = [Buffer.from(head, 'utf8'), msg];
      head = '\n';
      if (c.parents[0]) head += `from :${c.parents[0].mark}\n`;
      for (const p of c.parents.slice(1)) head += `merge :${p.mark}\n`;
      for (const [path, content] of c.writes) {
        if (content === null) {
          head += `D ${path}\n`;
          continue;
        }
        head += `M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
      }
      parts.push(Buffer.from(`${head}\n`, 'utf8'));
      this.stream.chunks.push(...parts);
      this.stream.marks.set(mark, sha);
    }
    return node;
  }

  private signature(member: number, ts: number): Signature {
    const m = this.org.members[member]!;
    return { name: m.name, email: m.gitEmail, seconds: Math.floor(ts / 1000) };
  }

  /** Edits for one branch commit of a forward change, spread over the commit's files. */
  private edits(state: PrState, index: number): Edit[] {
    const c = state.pr.commits[index]!;
    const rng = Rng.derive(this.org.options.seed, 'edits', this.repo.index, state.pr.number, index);
    const paths = state.paths!.slice(0, Math.max(1, Math.min(c.files, state.paths!.length)));
    return paths.map((path, k) => {
      const share = (x: number) => Math.floor(x / paths.length) + (k < x % paths.length ? 1 : 0);
      const ins: string[] = [];
      for (let i = share(c.added); i > 0; i--) ins.push(sourceLine(rng, this.serial++));
      const length = state.files!.get(path)?.length ?? 0;
      const del = Math.max(share(c.removed), length + ins.length - MAX_FILE_LINES);
      return { path, frac: rng.next(), del, ins };
    });
  }

  /** Brings the tree up to date with the files at `paths`; returns their new contents. */
  private updateTree(tree: GitTree, files: Files, paths: Iterable<string>): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const path of paths) {
      const lines = files.get(path);
      if (!lines || lines.length === 0) {
        tree.delete(path);
        files.delete(path);
        out.set(path, null);
      } else {
        const content = render(lines);
        tree.set(path, blobId(content));
        out.set(path, content);
      }
    }
    return out;
  }

  branchCommit(pr: PlannedPr, index: number): void {
    let state = this.states.get(pr.number);
    if (!state) {
      state = { pr, nodes: [], merge: null };
      this.states.set(pr.number, state);
      if (this.files && this.tree) {
        const all = [...this.files.keys()].filter((p) => p.startsWith('src/') || p.startsWith('test/'));
        const paths = new Set<string>();
        const want = Math.max(...pr.commits.map((c) => c.files));
        if (pr.kind === 'feature' && this.rng.chance(0.15)) {
          paths.add(`src/${noun(this.rng)}/${noun(this.rng)}-${this.serial++}.ts`);
        }
        while (paths.size < want) {
          // Files that have grown long are left alone and new code goes in a new file, which
          // keeps files (and so the repository) at a realistic size however long the period.
          const path = this.rng.pick(all);
          const long = (this.files.get(path)?.length ?? 0) > MAX_FILE_LINES / 2;
          paths.add(long ? `src/${noun(this.rng)}/${noun(this.rng)}-${this.serial++}.ts` : path);
        }
        state.paths = [...paths];
        state.files = new Map();
        if (pr.reverts) {
          for (const a of this.states.get(pr.reverts.number)?.mainApplied ?? []) {
            state.files.set(a.path, [...(this.files.get(a.path) ?? [])]);
          }
        } else {
          for (const p of state.paths) state.files.set(p, [...(this.files.get(p) ?? [])]);
        }
        state.tree = this.tree.clone();
      }
    }
    const c = pr.commits[index]!;
    const parent = index === 0 ? this.tip : state.nodes[index - 1]!;
    const sig = this.signature(pr.author, c.ts);
    let stats = { added: c.added, removed: c.removed, files: c.files };
    let writes: string[] = [];
    let revertsSha: string | null = null;
    let message: string;
    const trailers = trailerLines(pr.tool);
    if (pr.reverts) {
      const target = this.states.get(pr.reverts.number)!;
      revertsSha = target.merge!.sha;
      message = `${c.subject}\n\nThis reverts commit ${revertsSha}.\n`;
      if (state.files && target.mainApplied) {
        const undo = applyInverse(state.files, target.mainApplied);
        writes = undo.map((u) => u.path);
        stats = countApplied(undo);
      }
    } else {
      const body = pr.tool === 'claude-code' ? `\n\n${CLAUDE_PR_BODY}` : '';
      message = `${c.subject}${body}${trailers.length > 0 ? `\n\n${trailers.join('\n')}` : ''}\n`;
      if (state.files) {
        const edits = this.edits(state, index);
        state.edits = [...(state.edits ?? []), ...edits];
        const applied = edits.map((e) => applyEdit(state.files!, e));
        writes = applied.map((a) => a.path);
        stats = countApplied(applied);
      }
    }
    const contents = state.files && state.tree ? this.updateTree(state.tree, state.files, writes) : null;
    const node = this.commit({
      key: `pr${pr.number}:c${index}`,
      parents: [parent],
      author: sig,
      committer: sig,
      message,
      mainline: false,
      onDefaultBranch: this.repo.style === 'merge' && pr.state === 'merged',
      ref: SCRATCH_REF,
      tree: state.tree ?? null,
      writes: contents,
      stats,
      pr,
      prNumber: null,
      revertsSha,
      trailers: pr.reverts ? [] : trailers,
      tool: pr.tool,
    });
    state.nodes.push(node);
    if (index === pr.commits.length - 1 && pr.state !== 'merged') {
      this.stream?.openBranches.push([pr.branch, node.mark]);
      this.release(state);
    }
  }

  /** A finished branch's files are not needed again; only what its merge did is kept. */
  private release(state: PrState): void {
    state.files = undefined;
    state.tree = undefined;
    state.edits = undefined;
  }

  merge(pr: PlannedPr): void {
    const state = this.states.get(pr.number)!;
    const head = state.nodes[state.nodes.length - 1]!;
    const mergedAt = pr.mergedAt!;
    const committer: Signature = { ...GITHUB, seconds: Math.floor(mergedAt / 1000) };
    let contents: Map<string, string | null> | null = null;
    if (this.files && this.tree) {
      if (pr.reverts) {
        const target = this.states.get(pr.reverts.number)!;
        state.mainApplied = applyInverse(this.files, target.mainApplied ?? []);
      } else {
        state.mainApplied = [];
        // The branch's own edits, now against main as it is at merge time.
        for (const e of state.edits ?? []) state.mainApplied.push(applyEdit(this.files, e));
      }
      contents = this.updateTree(
        this.tree,
        this.files,
        state.mainApplied.map((a) => a.path),
      );
    }
    const sum = (f: (n: Node) => number) => state.nodes.reduce((a, n) => a + f(n), 0);
    const squash = this.repo.style === 'squash';
    const trailers = pr.reverts
      ? []
      : trailerLines(pr.tool).map((t) => t.replace(/^Co-Authored-By/, 'Co-authored-by'));
    let message: string;
    let author: Signature;
    if (squash) {
      author = this.signature(pr.author, mergedAt);
      const bullets =
        state.nodes.length > 1 ? `\n\n${state.nodes.map((n) => `* ${n.subject}`).join('\n\n')}` : '';
      const revert = pr.reverts
        ? `\n\nThis reverts commit ${this.states.get(pr.reverts.number)!.merge!.sha}.`
        : '';
      message = `${pr.title} (#${pr.number})${bullets}${revert}${trailers.length > 0 ? `\n\n${trailers.join('\n')}` : ''}\n`;
    } else {
      author = this.signature(pr.mergedBy ?? pr.author, mergedAt);
      message = `Merge pull request #${pr.number} from ${ORG}/${pr.branch}\n\n${pr.title}\n`;
    }
    const node = this.commit({
      key: `pr${pr.number}:merge`,
      parents: squash ? [this.tip] : [this.tip, head],
      author,
      committer,
      message,
      mainline: true,
      onDefaultBranch: true,
      ref: 'refs/heads/main',
      tree: this.tree,
      writes: contents,
      stats: squash
        ? {
            added: sum((n) => n.added),
            removed: sum((n) => n.removed),
            files: Math.max(...state.nodes.map((n) => n.files)),
          }
        : { added: 0, removed: 0, files: 0 },
      pr,
      prNumber: pr.number,
      revertsSha: squash && pr.reverts ? this.states.get(pr.reverts.number)!.merge!.sha : null,
      trailers: squash ? trailers : [],
      tool: pr.tool,
    });
    state.merge = node;
    this.tip = node;
    this.release(state);
  }
}

function countApplied(applied: readonly Applied[]): { added: number; removed: number; files: number } {
  return {
    added: applied.reduce((n, a) => n + a.inserted.length, 0),
    removed: applied.reduce((n, a) => n + a.removed.length, 0),
    files: new Set(applied.map((a) => a.path)).size,
  };
}

function commitRecord(node: Node): CommitRecord {
  return {
    id: `git:${node.repo.key}:${node.sha}`,
    repo: node.repo.key,
    sha: node.sha,
    parents: node.parents.map((p) => p.sha),
    authorName: node.author.name,
    authorEmail: node.author.email,
    authorTs: node.author.seconds * 1000,
    committerName: node.committer.name,
    committerEmail: node.committer.email,
    committerTs: node.committer.seconds * 1000,
    subject: node.subject,
    additions: node.added,
    deletions: node.removed,
    filesChanged: node.files,
    prNumber: node.prNumber,
    revertsSha: node.revertsSha,
    trailers: node.trailers,
    aiEvidence: node.aiEvidence,
    onDefaultBranch: node.onDefaultBranch,
    source: 'demo',
    origin: `demo:${node.repo.key}`,
  };
}

function prEvidence(pr: PlannedPr): { labels: string[]; aiEvidence: AiEvidence[] } {
  if (pr.kind === 'revert') return { labels: ['revert'], aiEvidence: [] };
  if (pr.tool === 'claude-code') {
    return { labels: [], aiEvidence: [{ kind: 'pr_body', tool: 'claude-code', detail: CLAUDE_PR_BODY }] };
  }
  if (pr.tool === 'codex') {
    return { labels: ['codex'], aiEvidence: [{ kind: 'label', tool: 'codex', detail: 'codex' }] };
  }
  if (pr.tool === 'gemini-cli') {
    return {
      labels: ['ai-assisted'],
      aiEvidence: [{ kind: 'label', tool: 'unknown', detail: 'ai-assisted' }],
    };
  }
  return { labels: [], aiEvidence: [] };
}

interface Shipping {
  /** Production deployments that shipped each mainline SHA successfully. */
  shippedBy: Map<string, DeploymentRecord[]>;
  rootCauses: Set<string>;
  rollbacks: string[];
}

/**
 * Production (and staging) deployments per service: most weekdays in the afternoon, shipping
 * every change merged since the last successful production deployment. Some fail and are
 * retried; a doomed change that ships can cause an incident and a rollback (the first one
 * always does, so every demo has one).
 */
function deploy(org: OrgModel, builders: RepoBuilder[], work: WorkBatch): Shipping {
  const { seed, days } = org.options;
  const shipping: Shipping = { shippedBy: new Map(), rootCauses: new Set(), rollbacks: [] };
  let incidents = 0;
  for (const b of builders) {
    const repo = b.repo;
    const mainline = b.nodes.filter((n) => n.mainline && n.pr !== null);
    let next = 0;
    let pending: Node[] = [];
    let seq = 0;
    const record = (
      ts: number,
      shipped: Node[],
      status: DeploymentRecord['status'],
      production: boolean,
      rollbackOf: string | null = null,
    ): DeploymentRecord => {
      const d: DeploymentRecord = {
        id: `deploy:demo:${repo.service}:${++seq}`,
        repo: repo.key,
        service: repo.service,
        environment: production ? 'production' : 'staging',
        production,
        status,
        ts,
        shas: shipped.map((n) => n.sha),
        rollbackOf,
        source: 'demo',
        origin: `demo:deployments/${repo.service}`,
      };
      work.deployments.push(d);
      return d;
    };
    for (let day = 0; day < days; day++) {
      const dayStart = org.startMs + day * DAY;
      const rng = Rng.derive(seed, 'deploy', repo.index, day);
      const dow = new Date(dayStart).getUTCDay();
      const p = dow >= 1 && dow <= 4 ? 0.85 : dow === 5 ? 0.35 : 0;
      if (rng.chance(1 / 45) && dow >= 1 && dow <= 5) {
        const openedAt = dayStart + rng.int(8 * 60, 20 * 60) * MIN;
        work.incidents.push({
          id: `incident:demo-${++incidents}`,
          service: repo.service,
          openedAt,
          resolvedAt: openedAt + rng.int(20, 240) * MIN,
          severity: 'SEV3',
          rootCauseShas: [],
          deploymentId: null,
          source: 'demo',
          origin: 'demo:incidents',
        });
      }
      if (!rng.chance(p)) continue;
      let ts = dayStart + 15 * HOUR + rng.int(0, 150) * MIN;
      while (next < mainline.length && mainline[next]!.committer.seconds * 1000 <= ts - 45 * MIN) {
        pending.push(mainline[next++]!);
      }
      if (pending.length === 0) continue;
      record(ts - 40 * MIN, pending, 'success', false);
      if (rng.chance(0.06)) {
        record(ts, pending, 'failure', true);
        ts += rng.int(60, 120) * MIN;
      }
      const d = record(ts, pending, 'success', true);
      const shipped = pending;
      pending = [];
      for (const n of shipped) {
        const list = shipping.shippedBy.get(n.sha) ?? [];
        list.push(d);
        shipping.shippedBy.set(n.sha, list);
      }
      const culprit = shipped.find(
        (n) => n.pr?.doomed === true && n.pr.kind !== 'revert' && !shipping.rootCauses.has(n.sha),
      );
      if (culprit && (shipping.rollbacks.length === 0 || rng.chance(0.04))) {
        const openedAt = ts + rng.int(15, 120) * MIN;
        const rollbackAt = openedAt + rng.int(10, 40) * MIN;
        d.status = 'rolled_back';
        const rollback = record(rollbackAt, [], 'success', true, d.id);
        shipping.rollbacks.push(d.id);
        shipping.rootCauses.add(culprit.sha);
        work.incidents.push({
          id: `incident:demo-${++incidents}`,
          service: repo.service,
          openedAt,
          resolvedAt: rollback.ts + rng.int(5, 60) * MIN,
          severity: 'SEV2',
          rootCauseShas: [culprit.sha],
          deploymentId: d.id,
          source: 'demo',
          origin: 'demo:incidents',
        });
        // The innocent changes go out again with the next deployment.
        pending = shipped.filter((n) => n !== culprit);
      }
    }
  }
  return shipping;
}

/**
 * Plans the whole period and builds every outcome record. Git-backed repositories also get
 * their fast-import streams (see git.ts); their SHAs are the real ones.
 */
export function buildWork(org: OrgModel): BuiltWork {
  const { seed } = org.options;
  const builders = org.repos.map((r) => new RepoBuilder(org, r));
  const prs: PlannedPr[] = [];
  const shipSessions: PlannedSession[] = [];
  for (const day of new Planner(org).days()) {
    prs.push(...day.prs);
    for (const s of day.sessions) if (s.prs.length > 0) shipSessions.push(s);
  }

  // Events per repository in time order; creation order breaks ties (branch before merge).
  const events: Array<{ ts: number; seq: number; run: () => void; repo: number }> = [];
  let seq = 0;
  for (const pr of prs) {
    const b = builders[pr.repo]!;
    pr.commits.forEach((c, i) => {
      events.push({ ts: c.ts, seq: seq++, repo: pr.repo, run: () => b.branchCommit(pr, i) });
    });
    if (pr.state === 'merged') {
      events.push({ ts: pr.mergedAt!, seq: seq++, repo: pr.repo, run: () => b.merge(pr) });
    }
  }
  events.sort((a, b) => a.repo - b.repo || a.ts - b.ts || a.seq - b.seq);
  for (const e of events) e.run();

  const work: WorkBatch = { commits: [], pullRequests: [], deployments: [], incidents: [], tasks: [] };
  const shaIndex = new Map<string, string>();
  for (const b of builders) {
    for (const [number, state] of b.states) {
      state.nodes.forEach((n, i) => {
        shaIndex.set(shaKey(b.repo.index, number, i), n.sha);
      });
    }
    // Commits of git-backed repositories are read from the repositories themselves.
    if (!b.repo.git) for (const n of b.nodes) work.commits.push(commitRecord(n));
  }

  const shipping = deploy(org, builders, work);

  const login = (i: number) => org.members[i]!.login;
  const truth: PrTruth[] = [];
  const taskSerial = org.repos.map(() => 100);
  for (const pr of prs) {
    const repo = org.repos[pr.repo]!;
    const state = builders[pr.repo]!.states.get(pr.number)!;
    const head = state.nodes[state.nodes.length - 1]!;
    const { labels, aiEvidence } = prEvidence(pr);
    const rec: PullRequestRecord = {
      id: `pr:${repo.key}#${pr.number}`,
      repo: repo.key,
      number: pr.number,
      title: pr.title,
      author: login(pr.author),
      authorType: 'User',
      state: pr.state,
      draft: false,
      createdAt: pr.createdAt,
      mergedAt: pr.mergedAt,
      closedAt: pr.closedAt,
      mergedBy: pr.mergedBy === null ? null : login(pr.mergedBy),
      baseRef: 'main',
      headRef: pr.branch,
      headSha: head.sha,
      mergeCommitSha: state.merge?.sha ?? null,
      additions: state.nodes.reduce((n, c) => n + c.added, 0),
      deletions: state.nodes.reduce((n, c) => n + c.removed, 0),
      changedFiles: Math.max(...state.nodes.map((c) => c.files)),
      labels,
      approvers: pr.approvers.map(login),
      reviewers: pr.reviewers.map(login),
      aiEvidence,
      source: 'demo',
      origin: `demo:github/${repo.key}`,
    };
    work.pullRequests.push(rec);
    if (pr.task && pr.mergedAt !== null) {
      const key = `${repo.taskKey}-${taskSerial[pr.repo]!++}`;
      const rng = Rng.derive(seed, 'task', pr.repo, pr.number);
      const task: TaskRecord = {
        id: `task:${key}`,
        key,
        title: pr.title,
        assignee: org.members[pr.author]!.email,
        doneAt: pr.mergedAt + rng.int(5, 180) * MIN,
        refs: [`${repo.key}#${pr.number}`],
        source: 'demo',
        origin: 'demo:tasks',
      };
      work.tasks.push(task);
    }
    const merged = pr.state === 'merged';
    const sha = state.merge?.sha;
    const revert = pr.revertedBy;
    const reverted =
      revert !== null && revert.state === 'merged' && revert.mergedAt! - pr.mergedAt! <= REVERT_WINDOW;
    const deployments = sha ? (shipping.shippedBy.get(sha) ?? []) : [];
    const rolledBack = deployments.some((d) => d.status === 'rolled_back');
    const rootCause = sha !== undefined && shipping.rootCauses.has(sha);
    const shipped = merged && pr.kind !== 'revert';
    truth.push({
      id: rec.id,
      repo: repo.key,
      number: pr.number,
      author: org.members[pr.author]!.person.id,
      kind: pr.kind,
      tool: pr.tool,
      sessionId: pr.sessionId,
      merged,
      selfMerged: pr.selfMerged,
      reverted,
      rolledBack,
      rootCause,
      durable: shipped && !reverted && !rolledBack && !rootCause,
      deployed: deployments.length > 0,
    });
  }
  work.incidents.sort((a, b) => a.openedAt - b.openedAt);
  return {
    work,
    streams: builders.flatMap((b) => (b.stream ? [b.stream] : [])),
    shaIndex,
    prs: truth,
    shipSessions,
    rollbacks: shipping.rollbacks,
  };
}
