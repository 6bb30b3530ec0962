/**
 * `POST /webhooks/deployments`: deployments and incidents pushed by CD systems and incident tools,
 * in the field vocabulary of work files (docs/sources/work-files.md), mapped by the same row
 * functions so a webhook and a file never disagree about a record. A request is stored whole or
 * not at all: one bad event refuses it with the event and field named. See
 * docs/server-webhooks.md.
 * @module
 */
import type { Hono } from 'hono';
import { emptyWorkBatch, type WorkBatch } from '../../ledger/work.js';
import {
  kindOf,
  normalizeRow,
  type WorkFileKind,
  workRecordFromRow,
} from '../../sources/work-files/index.js';
import type { AppEnv, ServerContext } from '../context.js';
import { problem, writeFailure } from '../http/problem.js';
import { deliveryCheckpoint, seenDelivery } from './deliveries.js';
import { deliveryId, parseJson, readSignedBody, type WebhookSpec } from './signed-request.js';

const GENERIC: WebhookSpec = {
  name: 'Deployment',
  secret: (ctx) => ctx.settings.genericSecret,
  secretHint: 'TOKENYIELD_WEBHOOK_SECRET or server.webhooks.genericSecret',
  signatureHeader: 'X-Tokenyield-Signature',
  deliveryHeader: 'X-Tokenyield-Delivery',
};

const ACCEPTED: readonly WorkFileKind[] = ['deployment', 'incident'];

/** The batch for the events, or the reason the first bad one is unusable. */
export function eventsToBatch(
  value: unknown,
  origin: string,
): { ok: true; batch: WorkBatch } | { ok: false; message: string } {
  const events = Array.isArray(value) ? value : [value];
  if (events.length === 0) return { ok: false, message: 'the array holds no events' };
  const batch = emptyWorkBatch();
  for (const [i, event] of events.entries()) {
    const at = Array.isArray(value) ? `event ${i + 1}: ` : '';
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      return { ok: false, message: `${at}not a JSON object` };
    const row = normalizeRow(event as Record<string, unknown>);
    const kindCell = typeof row.kind === 'string' ? row.kind.trim() : '';
    const kind = kindOf(kindCell);
    if (kind === null || !ACCEPTED.includes(kind)) {
      const got = kindCell === '' ? 'missing' : `"${kindCell}" is not accepted`;
      return { ok: false, message: `${at}kind: ${got}; send "deployment" or "incident"` };
    }
    const parsed = workRecordFromRow(kind, row, origin);
    if (!parsed.ok) return { ok: false, message: `${at}${parsed.reason}` };
    if (parsed.value.kind === 'deployment') batch.deployments.push(parsed.value.record);
    else if (parsed.value.kind === 'incident') batch.incidents.push(parsed.value.record);
  }
  return { ok: true, batch };
}

export function mountDeploymentWebhook(app: Hono<AppEnv>, ctx: ServerContext): void {
  app.post('/webhooks/deployments', async (c) => {
    const signed = await readSignedBody(c, ctx, GENERIC);
    if (!signed.ok) return signed.response;
    const delivery = deliveryId(c, GENERIC);
    if (!delivery.ok) return delivery.response;
    if (await seenDelivery(ctx.store, 'work_file', delivery.id))
      return c.json({ duplicate: true, delivery: delivery.id });
    const json = parseJson(c, signed.body);
    if (!json.ok) return json.response;
    const mapped = eventsToBatch(json.value, `webhook:${delivery.id}`);
    if (!mapped.ok) return problem(c, 400, 'invalid_event', `Nothing was stored: ${mapped.message}.`);
    try {
      const result = await ctx.writer.writeWork(mapped.batch, [
        deliveryCheckpoint('work_file', delivery.id, 'deployments'),
      ]);
      return c.json({
        delivery: delivery.id,
        stored: { deployments: mapped.batch.deployments.length, incidents: mapped.batch.incidents.length },
        ...result,
      });
    } catch (err) {
      return writeFailure(c, err);
    }
  });
}
