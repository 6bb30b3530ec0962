/**
 * The `server` section of the config file. Secrets may be given here or, better, through the
 * environment (`TOKENYIELD_GITHUB_WEBHOOK_SECRET`, `TOKENYIELD_WEBHOOK_SECRET`); see settings.ts.
 * @module
 */
import { z } from 'zod';
import { tokenEntrySchema } from './auth/tokens.js';

export const serverConfigSchema = z
  .object({
    host: z.string().min(1).optional(),
    port: z.number().int().min(0).max(65535).optional(),
    /** Tokens file written by `tokenyield token create` (default ~/.tokenyield/tokens.json). */
    tokensFile: z.string().min(1).optional(),
    /** Tokens listed inline (hashes only). */
    tokens: z.array(tokenEntrySchema).optional(),
    /** Groups smaller than this are suppressed in aggregates (default 5). */
    minGroupSize: z.number().int().min(1).optional(),
    /** Largest request body accepted, compressed and decompressed (default 16 MiB). */
    maxBodyBytes: z.number().int().min(1024).optional(),
    /** Records waiting to be committed before new requests get 429 (default 200,000). */
    maxQueuedRecords: z.number().int().min(1).optional(),
    /**
     * How old, in seconds, an answer that was slow to compute (over 1 s: the value model, reports
     * at thousands of engineers) may be while it is refreshed after a write (default 60; 0 = always fresh).
     */
    maxStaleSeconds: z.number().int().min(0).optional(),
    /**
     * Directory of the OTLP ingest journal (default: `<ledger>.journal` beside a DuckDB ledger);
     * `false` commits every export to the ledger before answering, without a journal.
     */
    journal: z.union([z.literal(false), z.string().min(1)]).optional(),
    /**
     * Memory the embedded ledger (DuckDB `memory_limit`) may use, e.g. "512MB" or "2GB" (default
     * 512MB). A commit reads the key columns of the whole ledger to find copies already stored;
     * while they fit, they stay in memory instead of being read from the file again.
     */
    ledgerMemory: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as "512MB" or "2GB"')
      .optional(),
    /**
     * Worker threads that decode and map OTLP bodies, off the thread that answers requests
     * (default 1; 0 decodes them on that thread).
     */
    decodeWorkers: z.number().int().min(0).max(64).optional(),
    /** Audit log of reads of other people's data (default: audit.jsonl beside the ledger). */
    auditLog: z.string().min(1).optional(),
    webhooks: z
      .object({
        githubSecret: z.string().min(16).optional(),
        genericSecret: z.string().min(16).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverConfigSchema>;
