// A vessel formation's footprint is derived from its members' positions, not drawn: ingestion rewrites the geometry of
// the formation's version in force and says when here. Null: the geometry is still the one filed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grids', (t) => {
    t.timestamp('footprint_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grids', (t) => {
    t.dropColumn('footprint_at');
  });
}
