// The append-only audit log: who did what to which record, with before and after.
import type { Knex } from 'knex';

export async function audit(
  knex: Knex,
  entry: { actor: string; action: string; entity: string; entityId: string; before?: unknown; after?: unknown },
): Promise<void> {
  await knex('audit_log').insert({
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}

export async function auditTrail(knex: Knex, entity: string, entityId: string) {
  const rows = await knex('audit_log').where({ entity, entity_id: entityId }).orderBy('id');
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, before: r.before, after: r.after }));
}
