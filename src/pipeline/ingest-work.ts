/**
 * Reads outcome sources (git clones, GitHub exports, deployment/incident/task files) into the
 * ledger, incrementally: each target's checkpoint is saved only after everything it covers is
 * written, and records are upserted by id, so a re-run or a run after a crash adds nothing twice.
 * @module
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Store } from '../ledger/store/store.js';
import { emptyWorkBatch, type WorkBatch, type WorkSourceId } from '../ledger/work.js';
import { discoverRepositories, parseGitRepoState, readGitRepository } from '../sources/git/index.js';
import { type GithubExportState, readGithubExport, type SkipSummary } from '../sources/github/index.js';
import { readWorkFile } from '../sources/work-files/index.js';

export interface WorkIngestOptions {
  store: Store;
  /** Git clones, or directories to search for clones. */
  git?: readonly string[];
  /** GitHub export directories or combined JSON files. */
  github?: readonly string[];
  /** Deployment, incident and task files. */
  files?: readonly string[];
  aiLabels?: readonly string[];
  onTarget?: (summary: WorkTargetSummary) => void;
}

export interface WorkTargetSummary {
  source: WorkSourceId;
  /** The repository, export or file read. */
  target: string;
  status: 'read' | 'unchanged' | 'skipped';
  /** Records new to the ledger, and records that replaced a stored copy. */
  inserted: number;
  replaced: number;
  /** Rows or objects that could not be used, by reason. */
  skipped: SkipSummary[];
  /** Why a whole target was skipped (not a repository, unreadable file …). */
  message?: string;
}

export interface WorkIngestSummary {
  targets: WorkTargetSummary[];
}

const count = (batch: WorkBatch) =>
  batch.commits.length +
  batch.pullRequests.length +
  batch.deployments.length +
  batch.incidents.length +
  batch.tasks.length;

/** A target's summary, listed before it is read so that a failure still shows in the output. */
function started(out: WorkTargetSummary[], source: WorkSourceId, target: string): WorkTargetSummary {
  const summary: WorkTargetSummary = {
    source,
    target,
    status: 'read',
    inserted: 0,
    replaced: 0,
    skipped: [],
  };
  out.push(summary);
  return summary;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function ingestGit(store: Store, roots: readonly string[], out: WorkTargetSummary[]): Promise<void> {
  const repositories = new Set<string>();
  for (const root of roots) {
    let found: string[] = [];
    let why = 'no git repository found there';
    try {
      found = await discoverRepositories([root]);
    } catch (error) {
      why = `cannot search it: ${messageOf(error)}`;
    }
    if (found.length === 0) {
      const summary = started(out, 'git', root);
      summary.status = 'skipped';
      summary.message = why;
    }
    for (const repo of found) repositories.add(repo);
  }
  for (const path of [...repositories].sort()) {
    const summary = started(out, 'git', path);
    const previous = parseGitRepoState(await store.workCheckpoint('git', path));
    const read = await readGitRepository(path, previous);
    if (read.kind === 'skip') {
      summary.status = 'skipped';
      summary.message = read.message;
      continue;
    }
    try {
      for await (const commits of read.commits) {
        const result = await store.writeWork({ ...emptyWorkBatch(), commits });
        summary.inserted += result.inserted;
        summary.replaced += result.replaced;
      }
    } catch (error) {
      // What was written stays (it is idempotent); without the checkpoint the next run reads it again.
      summary.status = 'skipped';
      summary.message = `git failed part-way: ${messageOf(error)}`;
      continue;
    }
    await store.writeWork(emptyWorkBatch(), [{ source: 'git', key: path, state: read.state }]);
    if (read.stats.malformed > 0) {
      summary.skipped.push({
        reason: 'unparsable git log output',
        count: read.stats.malformed,
        examples: [],
      });
    }
    if (summary.inserted + summary.replaced === 0) summary.status = 'unchanged';
  }
}

async function ingestGithub(
  store: Store,
  paths: readonly string[],
  aiLabels: readonly string[] | undefined,
  out: WorkTargetSummary[],
): Promise<void> {
  for (const given of paths) {
    const path = resolve(given);
    const summary = started(out, 'github_export', path);
    try {
      const previous = (await store.workCheckpoint('github_export', path)) as GithubExportState | undefined;
      const result = await readGithubExport(path, previous ?? null, aiLabels ? { aiLabels } : {});
      const written = await store.writeWork(result.batch, [
        { source: 'github_export', key: path, state: result.state },
      ]);
      Object.assign(summary, written, { skipped: result.skipped });
      if (result.changedFiles === 0 && count(result.batch) === 0) summary.status = 'unchanged';
    } catch (error) {
      summary.status = 'skipped';
      summary.message = messageOf(error);
    }
  }
}

async function ingestFiles(store: Store, paths: readonly string[], out: WorkTargetSummary[]): Promise<void> {
  for (const given of paths) {
    const path = resolve(given);
    const summary = started(out, 'work_file', path);
    try {
      const st = statSync(path);
      const stamp = { size: st.size, mtimeMs: st.mtimeMs };
      const previous = (await store.workCheckpoint('work_file', path)) as typeof stamp | undefined;
      if (previous && previous.size === stamp.size && previous.mtimeMs === stamp.mtimeMs) {
        summary.status = 'unchanged';
        continue;
      }
      const result = await readWorkFile(path);
      const written = await store.writeWork(result.batch, [{ source: 'work_file', key: path, state: stamp }]);
      Object.assign(summary, written, { skipped: result.skipped });
    } catch (error) {
      summary.status = 'skipped';
      summary.message = messageOf(error);
    }
  }
}

export async function ingestWork(options: WorkIngestOptions): Promise<WorkIngestSummary> {
  const targets: WorkTargetSummary[] = [];
  await ingestGit(options.store, options.git ?? [], targets);
  await ingestGithub(options.store, options.github ?? [], options.aiLabels, targets);
  await ingestFiles(options.store, options.files ?? [], targets);
  for (const t of targets) options.onTarget?.(t);
  return { targets };
}
