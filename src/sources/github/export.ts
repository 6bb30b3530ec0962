/**
 * Reads a GitHub export (docs/sources/github.md) into outcome records, incrementally.
 *
 * An export is a directory (`pulls.json`, `pulls/<n>.json`, `reviews/<n>.json`,
 * `deployments.json`, `deployment_statuses/<id>.json`, `compare/<id>.json`, `repo.txt`) or a
 * combined JSON file; a directory may also hold combined files and one sub-directory per
 * repository. Every record remembers the files it was built from; a re-run stats every file,
 * hashes only those whose size or mtime moved, and emits only records with a changed input.
 * Because one PR or deployment draws on several files, a unit (directory or combined file)
 * with any changed file is parsed whole, but unchanged records are not emitted again.
 * @module
 */
import { createHash } from 'node:crypto';
import { type Dirent, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { emptyWorkBatch, type WorkBatch } from '../../ledger/work.js';
import type { AiMarkerOptions } from './ai-markers.js';
import { type DeploymentParse, deploymentFromApi } from './deployment.js';
import { parseJsonList, parseJsonValues } from './json-values.js';
import { mergePullCopies, type PullRequestParse, pullRequestFromApi } from './pull-request.js';
import { type SkipSummary, SkipTally } from './skips.js';

/** Bump when the mapping changes, so that a re-run re-emits everything under the new rules. */
const MAPPING_VERSION = 1;
const MAX_DEPTH = 4;
const PER_ITEM_DIRS = ['pulls', 'reviews', 'deployment_statuses', 'compare'] as const;
type PerItemDir = (typeof PER_ITEM_DIRS)[number];
const REPO_NAME = /^[\w.-]+\/[\w.-]+$/;

export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** sha256 of the content, hex. */
  hash: string;
}

/** What `readGithubExport` returns for the next run; JSON-serialisable. */
export interface GithubExportState {
  version: 1;
  /** Mapping version and options the files were read with; a change re-emits everything. */
  settings: string;
  /** By absolute path. */
  files: Record<string, FileStamp>;
}

export type GithubExportOptions = AiMarkerOptions;

export interface GithubExportResult {
  batch: WorkBatch;
  state: GithubExportState;
  skipped: SkipSummary[];
  /** Files whose content changed since `previousState` (all of them on a first run). */
  changedFiles: number;
  unchangedFiles: number;
}

interface DirUnit {
  kind: 'dir';
  dir: string;
  pullsList: string | null;
  deploymentsList: string | null;
  repoFile: string | null;
  /** Per-item files by directory, keyed by the number in their name. */
  items: Record<PerItemDir, Map<string, string>>;
}
interface CombinedUnit {
  kind: 'combined';
  file: string;
}
type Unit = DirUnit | CombinedUnit;

function unitFiles(u: Unit): string[] {
  if (u.kind === 'combined') return [u.file];
  const files = [u.pullsList, u.deploymentsList, u.repoFile].filter((f): f is string => f !== null);
  for (const d of PER_ITEM_DIRS) files.push(...u.items[d].values());
  return files;
}

async function readDirSorted(dir: string): Promise<Dirent[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function discover(dir: string, depth: number, units: Unit[]): Promise<void> {
  const entries = await readDirSorted(dir);
  const unit: DirUnit = {
    kind: 'dir',
    dir,
    pullsList: null,
    deploymentsList: null,
    repoFile: null,
    items: { pulls: new Map(), reviews: new Map(), deployment_statuses: new Map(), compare: new Map() },
  };
  const subdirs: string[] = [];
  const combined: CombinedUnit[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isFile()) {
      if (e.name === 'pulls.json') unit.pullsList = path;
      else if (e.name === 'deployments.json') unit.deploymentsList = path;
      else if (e.name === 'repo.txt') unit.repoFile = path;
      else if (e.name.endsWith('.json')) combined.push({ kind: 'combined', file: path });
    } else if (e.isDirectory()) {
      if ((PER_ITEM_DIRS as readonly string[]).includes(e.name)) {
        const map = unit.items[e.name as PerItemDir];
        for (const f of await readDirSorted(path)) {
          const m = /^(\d+)\.json$/.exec(f.name);
          if (f.isFile() && m) map.set(String(Number(m[1])), join(path, f.name));
        }
      } else if (e.name !== 'node_modules') {
        subdirs.push(path);
      }
    }
  }
  if (unitFiles(unit).length > 0) units.push(unit);
  units.push(...combined);
  if (depth < MAX_DEPTH) for (const s of subdirs) await discover(s, depth + 1, units);
}

/** Stamps every file and tells which changed; content read for hashing is kept for parsing. */
class FileSet {
  readonly stamps: Record<string, FileStamp> = {};
  readonly changed = new Set<string>();
  private readonly content = new Map<string, string>();

  constructor(
    private readonly previous: Record<string, FileStamp>,
    private readonly forceAll: boolean,
  ) {}

  async stamp(path: string): Promise<void> {
    const st = await fs.stat(path);
    const prev = this.previous[path];
    if (!this.forceAll && prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs) {
      this.stamps[path] = prev;
      return;
    }
    const buf = await fs.readFile(path);
    const hash = createHash('sha256').update(buf).digest('hex');
    this.stamps[path] = { size: st.size, mtimeMs: st.mtimeMs, hash };
    this.content.set(path, buf.toString('utf8'));
    if (this.forceAll || !prev || prev.hash !== hash) this.changed.add(path);
  }

  async text(path: string): Promise<string> {
    const cached = this.content.get(path);
    if (cached !== undefined) return cached;
    return fs.readFile(path, 'utf8');
  }
}

type Built = { kind: 'pr'; result: PullRequestParse } | { kind: 'deploy'; result: DeploymentParse };

/** A record to build, the files it is built from, and where to point a skip at. */
interface Candidate {
  deps: string[];
  where: string;
  build(): Built;
}

class UnitReader {
  /** Files that could not be parsed; records built from them are not emitted. */
  private readonly broken = new Set<string>();

  constructor(
    private readonly files: FileSet,
    private readonly skips: SkipTally,
  ) {}

  async list(path: string): Promise<unknown[] | null> {
    try {
      return parseJsonList(await this.files.text(path));
    } catch (err) {
      return this.fail(path, err);
    }
  }

  async value(path: string): Promise<unknown | null> {
    try {
      const values = parseJsonValues(await this.files.text(path));
      if (values.length === 0) throw new Error('empty file');
      return values.length === 1 ? values[0] : values;
    } catch (err) {
      return this.fail(path, err);
    }
  }

  private fail(path: string, err: unknown): null {
    this.broken.add(path);
    if (this.files.changed.has(path))
      this.skips.add('file is not valid JSON', `${path}: ${(err as Error).message}`);
    return null;
  }

  isBroken(deps: readonly string[]): boolean {
    return deps.some((d) => this.broken.has(d));
  }
}

function itemKey(item: unknown, field: 'number' | 'id'): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const v = (item as Record<string, unknown>)[field];
  return typeof v === 'number' && Number.isInteger(v) ? String(v) : null;
}

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

async function dirCandidates(
  u: DirUnit,
  reader: UnitReader,
  files: FileSet,
  options: GithubExportOptions,
  skips: SkipTally,
): Promise<Candidate[]> {
  let repo: string | null = null;
  if (u.repoFile) {
    const text = (await files.text(u.repoFile)).trim();
    if (REPO_NAME.test(text)) repo = text;
    else if (files.changed.has(u.repoFile)) skips.add('repo.txt is not owner/name', u.repoFile);
  }
  const candidates: Candidate[] = [];

  const listEntries = new Map<string, unknown>();
  if (u.pullsList) {
    const list = (await reader.list(u.pullsList)) ?? [];
    list.forEach((item, i) => {
      const n = itemKey(item, 'number');
      if (n === null) {
        const deps = [u.pullsList!];
        candidates.push({
          deps,
          where: `${u.pullsList} item ${i + 1}`,
          build: () => ({ kind: 'pr', result: pullRequestFromApi(item, repo, u.pullsList!, options) }),
        });
      } else listEntries.set(n, item);
    });
  }
  const numbers = new Set([...listEntries.keys(), ...u.items.pulls.keys()]);
  for (const [n, path] of u.items.reviews) {
    if (!numbers.has(n) && files.changed.has(path))
      skips.add('reviews of a pull request not in the export', path);
  }
  for (const n of [...numbers].sort((a, b) => Number(a) - Number(b))) {
    const detailPath = u.items.pulls.get(n);
    const reviewsPath = u.items.reviews.get(n);
    const deps = [
      ...(listEntries.has(n) ? [u.pullsList!] : []),
      ...(detailPath ? [detailPath] : []),
      ...(reviewsPath ? [reviewsPath] : []),
    ];
    const detail = detailPath ? await reader.value(detailPath) : undefined;
    const reviews = reviewsPath ? await reader.list(reviewsPath) : [];
    const origin = detailPath ?? u.pullsList!;
    candidates.push({
      deps,
      where: `${origin} #${n}`,
      build: () => ({
        kind: 'pr',
        result: pullRequestFromApi(mergePullCopies(listEntries.get(n), detail ?? undefined), repo, origin, {
          ...options,
          reviews: reviews ?? [],
        }),
      }),
    });
  }

  if (u.deploymentsList) {
    const list = (await reader.list(u.deploymentsList)) ?? [];
    const ids = new Set<string>();
    for (const [i, item] of list.entries()) {
      const id = itemKey(item, 'id');
      if (id !== null) ids.add(id);
      const statusesPath = id === null ? undefined : u.items.deployment_statuses.get(id);
      const comparePath = id === null ? undefined : u.items.compare.get(id);
      const deps = [
        u.deploymentsList,
        ...(statusesPath ? [statusesPath] : []),
        ...(comparePath ? [comparePath] : []),
      ];
      const statuses = statusesPath ? await reader.list(statusesPath) : [];
      const compare = comparePath ? await reader.value(comparePath) : undefined;
      const origin = u.deploymentsList;
      candidates.push({
        deps,
        where: `${origin} ${id === null ? `item ${i + 1}` : `id ${id}`}`,
        build: () => ({
          kind: 'deploy',
          result: deploymentFromApi(item, statuses ?? [], repo, origin, { compare: compare ?? undefined }),
        }),
      });
    }
    for (const [id, path] of u.items.deployment_statuses) {
      if (!ids.has(id) && files.changed.has(path))
        skips.add('statuses of a deployment not in the export', path);
    }
  } else {
    for (const path of u.items.deployment_statuses.values()) {
      if (files.changed.has(path)) skips.add('statuses of a deployment not in the export', path);
    }
  }
  return candidates;
}

async function combinedCandidates(
  u: CombinedUnit,
  reader: UnitReader,
  options: GithubExportOptions,
  skips: SkipTally,
  changed: boolean,
): Promise<Candidate[]> {
  const value = await reader.value(u.file);
  if (value === null) return [];
  const obj = recordOf(value);
  if (!Array.isArray(obj.pulls) && !Array.isArray(obj.deployments)) {
    if (changed) skips.add('not a GitHub export (no pulls or deployments array)', u.file);
    return [];
  }
  const repo = typeof obj.repo === 'string' && REPO_NAME.test(obj.repo) ? obj.repo : null;
  const reviews = recordOf(obj.reviews);
  const statuses = recordOf(obj.statuses);
  const compare = recordOf(obj.compare);
  const deps = [u.file];
  const candidates: Candidate[] = [];
  // A combined file may hold both the list entry and the single-PR response of a PR.
  const pulls = new Map<string, unknown>();
  asList(obj.pulls).forEach((item, i) => {
    const n = itemKey(item, 'number');
    if (n === null) {
      candidates.push({
        deps,
        where: `${u.file} pulls item ${i + 1}`,
        build: () => ({ kind: 'pr', result: pullRequestFromApi(item, repo, u.file, options) }),
      });
    } else pulls.set(n, mergePullCopies(pulls.get(n), item));
  });
  for (const [n, item] of pulls) {
    candidates.push({
      deps,
      where: `${u.file} #${n}`,
      build: () => ({
        kind: 'pr',
        result: pullRequestFromApi(item, repo, u.file, { ...options, reviews: asList(reviews[n]) }),
      }),
    });
  }
  asList(obj.deployments).forEach((item, i) => {
    const id = itemKey(item, 'id');
    candidates.push({
      deps,
      where: `${u.file} ${id === null ? `deployments item ${i + 1}` : `deployment ${id}`}`,
      build: () => ({
        kind: 'deploy',
        result: deploymentFromApi(item, id === null ? [] : asList(statuses[id]), repo, u.file, {
          compare: id === null ? undefined : compare[id],
        }),
      }),
    });
  });
  return candidates;
}

/**
 * Reads the export at `path` (a directory or a combined JSON file). Pass the `state` of the
 * previous run (or null) to get only records whose input changed; same input, same ids.
 */
export async function readGithubExport(
  path: string,
  previousState: GithubExportState | null,
  options: GithubExportOptions = {},
): Promise<GithubExportResult> {
  const root = resolve(path);
  const units: Unit[] = [];
  const rootStat = await fs.stat(root);
  if (rootStat.isDirectory()) await discover(root, 0, units);
  else units.push({ kind: 'combined', file: root });
  // Path order, so the batch comes out in the same order on every machine.
  const unitPath = (u: Unit) => (u.kind === 'dir' ? u.dir : u.file);
  units.sort((a, b) => (unitPath(a) < unitPath(b) ? -1 : unitPath(a) > unitPath(b) ? 1 : 0));

  const settings = JSON.stringify({
    v: MAPPING_VERSION,
    aiLabels: options.aiLabels ? [...options.aiLabels].map((l) => l.toLowerCase()).sort() : null,
  });
  const previous = previousState?.version === 1 && previousState.settings === settings ? previousState : null;
  const files = new FileSet(previous?.files ?? {}, previous === null);
  for (const u of units) for (const f of unitFiles(u)) await files.stamp(f);

  const skips = new SkipTally();
  const batch = emptyWorkBatch();
  for (const u of units) {
    const paths = unitFiles(u);
    if (!paths.some((p) => files.changed.has(p))) continue;
    const reader = new UnitReader(files, skips);
    const candidates =
      u.kind === 'dir'
        ? await dirCandidates(u, reader, files, options, skips)
        : await combinedCandidates(u, reader, options, skips, files.changed.has(u.file));
    for (const c of candidates) {
      if (!c.deps.some((d) => files.changed.has(d))) continue;
      if (reader.isBroken(c.deps)) {
        skips.add('built from a file that is not valid JSON', c.where);
        continue;
      }
      const built = c.build();
      if (!built.result.ok) {
        skips.add(built.result.reason, c.where);
        continue;
      }
      for (const reason of built.result.skipped) skips.add(reason, c.where);
      if (built.kind === 'pr') {
        if (built.result.ok) batch.pullRequests.push(built.result.record);
      } else if (built.result.ok) batch.deployments.push(built.result.record);
    }
  }
  const all = Object.keys(files.stamps).length;
  return {
    batch,
    state: { version: 1, settings, files: files.stamps },
    skipped: skips.summary(),
    changedFiles: files.changed.size,
    unchangedFiles: all - files.changed.size,
  };
}
