/**
 * The audit log: every read of another person's data, one JSON line each, appended before the
 * answer is sent (so a read that was answered is never missing from the log).
 * @module
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Principal } from './principal.js';

export interface AuditEntry {
  ts: string;
  actor: string;
  role: string;
  action: string;
  /** The person or team whose data was read. */
  subject: string;
  route: string;
}

export interface AuditLog {
  readonly path: string | null;
  record(principal: Principal, action: string, subject: string, route: string): void;
}

function actorOf(p: Principal): { actor: string; role: string } {
  return p.kind === 'ingest'
    ? { actor: p.name, role: 'ingest' }
    : { actor: p.personId ?? p.name, role: p.role };
}

export function createAuditLog(path: string | null): AuditLog {
  if (path) mkdirSync(dirname(path), { recursive: true });
  return {
    path,
    record(principal, action, subject, route) {
      if (!path) return;
      const entry: AuditEntry = {
        ts: new Date().toISOString(),
        ...actorOf(principal),
        action,
        subject,
        route,
      };
      appendFileSync(path, `${JSON.stringify(entry)}\n`);
    },
  };
}
