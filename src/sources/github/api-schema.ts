/**
 * `zod` shapes of the GitHub REST responses the GitHub source reads (docs.github.com, REST API
 * "Pulls", "Pull request reviews", "Deployments", "Deployment statuses", "Commits: compare").
 *
 * Only the fields tokenyield uses are declared; zod drops the rest, so new API fields never
 * break a read. Webhook payloads carry the same objects (`pull_request`, `deployment`,
 * `deployment_status`), which is why these live apart from the file reader.
 * @module
 */
import { z } from 'zod';

/** Epoch ms of an ISO-8601 date-time with a zone, as GitHub writes them; null otherwise. */
export function parseIsoDateTime(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

const isoDateTime = z.string().refine((s) => parseIsoDateTime(s) !== null, 'not an ISO-8601 date-time');

const account = z.object({ login: z.string().min(1), type: z.string().optional() });

export const pullSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  draft: z.boolean().optional(),
  // Deleted accounts come back as null from some endpoints and as `ghost` from others.
  user: account.nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime.nullish(),
  closed_at: isoDateTime.nullish(),
  merged_at: isoDateTime.nullish(),
  merged_by: account.nullish(),
  merge_commit_sha: z.string().nullish(),
  head: z.object({ ref: z.string(), sha: z.string().nullish() }),
  base: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }).nullish() }),
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
  changed_files: z.number().int().nonnegative().optional(),
  labels: z.array(z.object({ name: z.string() })).optional(),
  body: z.string().nullish(),
});
export type ApiPull = z.infer<typeof pullSchema>;

export const reviewSchema = z.object({
  id: z.number().optional(),
  user: account.nullable(),
  state: z.string(),
  submitted_at: isoDateTime.nullish(),
});
export type ApiReview = z.infer<typeof reviewSchema>;

export const deploymentSchema = z.object({
  id: z.number().int(),
  sha: z.string().min(1),
  ref: z.string().nullish(),
  environment: z.string().min(1),
  production_environment: z.boolean().optional(),
  created_at: isoDateTime,
  task: z.string().nullish(),
  payload: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
  repository_url: z.string().optional(),
});
export type ApiDeployment = z.infer<typeof deploymentSchema>;

export const deploymentStatusSchema = z.object({
  id: z.number().optional(),
  // Mapped by hand (deployment.ts) so that an unexpected state can be named in the skip reason.
  state: z.string().min(1),
  created_at: isoDateTime,
  environment: z.string().nullish(),
});
export type ApiDeploymentStatus = z.infer<typeof deploymentStatusSchema>;

export const compareSchema = z.object({
  commits: z.array(z.object({ sha: z.string().min(1) })),
});

/** `what: field: problem`, naming the first problem only: one reason per bad object keeps the tally short. */
export function describeZodError(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${what}: invalid`;
  const path = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return `${what}: missing ${path}`;
  }
  return `${what}: ${path}: ${issue.message.replace(/^Invalid input: /, '')}`;
}
