// A plan is either about the township's land grids or about its sea grids; filing replaces only that scope.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('plans', (t) => {
    t.string('scope', 16).notNullable().defaultTo('land');
    t.check(`scope in ('land','maritime')`, [], 'plans_scope_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('plans', (t) => {
    t.dropChecks(['plans_scope_check']);
    t.dropColumn('scope');
  });
}
