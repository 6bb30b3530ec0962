/**
 * Git object ids computed in process, byte for byte as git would: blobs, nested trees and
 * commits. The demo needs a commit's SHA before the repository exists (a revert's message cites
 * the SHA it reverts, and the usage stream cites the SHAs its sessions committed), so the SHAs
 * are computed here and `git fast-import` is only asked to materialise them; its marks are then
 * checked against these ids, so any drift between the two is an error, not a silent mismatch.
 * @module
 */
import { createHash } from 'node:crypto';

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch; the zone is always UTC (`+0000`). */
  seconds: number;
}

function objectId(type: string, body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

export function blobId(content: string): string {
  return objectId('blob', Buffer.from(content, 'utf8'));
}

interface Dir {
  files: Map<string, string>;
  dirs: Set<string>;
}

function parentOf(dir: string): string {
  const i = dir.lastIndexOf('/');
  return i < 0 ? '' : dir.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * A snapshot of files (path → blob id) whose tree ids are cached per directory, so that a commit
 * touching two files re-hashes only the directories on their paths, not the whole repository.
 */
export class GitTree {
  private readonly dirs = new Map<string, Dir>([['', { files: new Map(), dirs: new Set() }]]);
  private readonly ids = new Map<string, string>();

  clone(): GitTree {
    const copy = new GitTree();
    for (const [path, dir] of this.dirs) {
      copy.dirs.set(path, { files: new Map(dir.files), dirs: new Set(dir.dirs) });
    }
    for (const [path, id] of this.ids) copy.ids.set(path, id);
    return copy;
  }

  private invalidate(dir: string): void {
    for (let d = dir; ; d = parentOf(d)) {
      this.ids.delete(d);
      if (d === '') return;
    }
  }

  set(path: string, blob: string): void {
    const dirPath = parentOf(path);
    let dir = this.dirs.get(dirPath);
    if (!dir) {
      // Create the directory chain down from the nearest existing ancestor.
      const missing: string[] = [];
      for (let d = dirPath; !this.dirs.has(d); d = parentOf(d)) missing.push(d);
      for (const d of missing.reverse()) {
        this.dirs.get(parentOf(d))!.dirs.add(baseName(d));
        this.dirs.set(d, { files: new Map(), dirs: new Set() });
      }
      dir = this.dirs.get(dirPath)!;
    }
    dir.files.set(baseName(path), blob);
    this.invalidate(dirPath);
  }

  delete(path: string): void {
    let dirPath = parentOf(path);
    const dir = this.dirs.get(dirPath);
    if (!dir?.files.delete(baseName(path))) return;
    this.invalidate(dirPath);
    // Git has no empty directories: drop the ones this leaves empty.
    for (let d = this.dirs.get(dirPath)!; dirPath !== '' && d.files.size === 0 && d.dirs.size === 0; ) {
      this.dirs.delete(dirPath);
      const parent = parentOf(dirPath);
      this.dirs.get(parent)!.dirs.delete(baseName(dirPath));
      dirPath = parent;
      d = this.dirs.get(dirPath)!;
    }
  }

  id(dirPath = ''): string {
    const cached = this.ids.get(dirPath);
    if (cached !== undefined) return cached;
    const dir = this.dirs.get(dirPath)!;
    // Git orders entries by name, comparing a directory's name as if it ended in '/'.
    const entries: Array<[string, string, string]> = [];
    for (const [name, id] of dir.files) entries.push([name, `100644 ${name}`, id]);
    for (const name of dir.dirs) {
      entries.push([`${name}/`, `40000 ${name}`, this.id(dirPath === '' ? name : `${dirPath}/${name}`)]);
    }
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let size = 0;
    for (const [, head] of entries) size += Buffer.byteLength(head) + 21;
    const body = Buffer.allocUnsafe(size);
    let at = 0;
    for (const [, head, entryId] of entries) {
      at += body.write(head, at, 'utf8');
      body[at++] = 0;
      at += body.write(entryId, at, 'hex');
    }
    const id = objectId('tree', body);
    this.ids.set(dirPath, id);
    return id;
  }
}

export function signatureLine(s: Signature): string {
  return `${s.name} <${s.email}> ${s.seconds} +0000`;
}

export function commitId(
  tree: string,
  parents: readonly string[],
  author: Signature,
  committer: Signature,
  message: string,
): string {
  let head = `tree ${tree}\n`;
  for (const p of parents) head += `parent ${p}\n`;
  head += `author ${signatureLine(author)}\ncommitter ${signatureLine(committer)}\n\n`;
  return objectId('commit', Buffer.from(head + message, 'utf8'));
}
