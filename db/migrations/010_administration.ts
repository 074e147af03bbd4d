// Administration: a city administrator role, users that can be disabled, and keys with an optional expiry and the
// time they were last used (written with the batched usage counts).
import type { Knex } from 'knex';

const ROLES_BEFORE = `'township_planner','county_reviewer','city_registrar','maritime_authority','api_client','public','admin','ais_feed'`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_role_check');
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role in (${ROLES_BEFORE},'city_admin'))`);
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('disabled_at', { useTz: true }).nullable();
  });
  await knex.schema.alterTable('api_keys', (t) => {
    t.timestamp('expires_at', { useTz: true }).nullable();
    t.timestamp('last_used_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('last_used_at');
    t.dropColumn('expires_at');
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('disabled_at');
  });
  await knex('users').where('role', 'city_admin').delete();
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_role_check');
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role in (${ROLES_BEFORE}))`);
}
