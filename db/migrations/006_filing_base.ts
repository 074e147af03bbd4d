// A plan remembers the filing it was drafted against, so filing it after someone else filed the same township
// (and scope) is refused instead of silently overwriting that newer partition. Filings get an explicit chain
// position assigned under the filing lock: timestamps taken before the lock need not follow the chain's order.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('filings', (t) => {
    t.string('scope', 16).notNullable().defaultTo('land');
    t.check(`scope in ('land','maritime')`, [], 'filings_scope_check');
    t.integer('chain_seq').nullable();
  });
  await knex.raw(`UPDATE filings SET scope = snapshot->>'scope' WHERE snapshot->>'scope' IN ('land','maritime')`);
  await knex.raw(`UPDATE filings f SET chain_seq = o.seq FROM (SELECT number, row_number() OVER (ORDER BY filed_at, number) AS seq FROM filings) o WHERE o.number = f.number`);
  await knex.schema.alterTable('filings', (t) => {
    t.integer('chain_seq').notNullable().alter();
    t.unique(['chain_seq']);
    t.index(['township_code', 'scope', 'chain_seq']);
  });
  await knex.schema.alterTable('plans', (t) => {
    t.string('base_filing', 32).nullable().references('filings.number');
  });
  // Plans drafted before this migration are taken to be based on the partition in force now.
  await knex.raw(
    `UPDATE plans p SET base_filing = (
       SELECT f.number FROM filings f WHERE f.township_code = p.township_code AND f.scope = p.scope
       ORDER BY f.chain_seq DESC LIMIT 1)
     WHERE p.status IN ('draft','submitted','returned','approved')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('plans', (t) => {
    t.dropForeign(['base_filing']);
    t.dropColumn('base_filing');
  });
  await knex.schema.alterTable('filings', (t) => {
    t.dropIndex(['township_code', 'scope', 'chain_seq']);
    t.dropUnique(['chain_seq']);
    t.dropColumn('chain_seq');
    t.dropChecks(['filings_scope_check']);
    t.dropColumn('scope');
  });
}
