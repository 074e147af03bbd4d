// A role for AIS feeds (shore stations, data providers): they send position reports and read the registry and lookups,
// nothing else, so an integration that only reads (e.g. the 12345 hotline) cannot write positions.
import type { Knex } from 'knex';

const ROLES_BEFORE = `'township_planner','county_reviewer','city_registrar','maritime_authority','api_client','public','admin'`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_role_check');
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role in (${ROLES_BEFORE},'ais_feed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('users').where('role', 'ais_feed').delete();
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_role_check');
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role in (${ROLES_BEFORE}))`);
}
