/**
 * The parts every GitHub event shares, read before the event's own object so that a payload
 * without them is refused with the field named.
 * @module
 */
import { z } from 'zod';
import { describeZodError } from '../../../sources/github/api-schema.js';

const envelopeSchema = z.object({
  repository: z.object({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected "owner/name"') }),
});

export function repositoryOf(
  event: string,
  payload: unknown,
): { ok: true; repo: string } | { ok: false; message: string } {
  const parsed = envelopeSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, message: describeZodError(event, parsed.error) };
  return { ok: true, repo: parsed.data.repository.full_name };
}

/** `payload[key]` when it is a JSON object, else undefined. */
export function objectMember(payload: unknown, key: string): Record<string, unknown> | undefined {
  const value = (payload as Record<string, unknown>)[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
