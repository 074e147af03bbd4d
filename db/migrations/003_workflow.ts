// Plans and filings (备案), users and API keys, jobs, and the append-only audit log.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.string('name').notNullable().unique();
    t.string('role', 32).notNullable();
    t.string('scope_prefix', 12).notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(
      `role in ('township_planner','county_reviewer','city_registrar','maritime_authority','api_client','public','admin')`,
      [],
      'users_role_check',
    );
  });

  // Only a hash of each key is stored.
  await knex.schema.createTable('api_keys', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE').index();
    t.string('key_sha256', 64).notNullable().unique();
    t.string('label').nullable();
    t.bigInteger('usage_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('plans', (t) => {
    t.bigIncrements('id');
    t.string('township_code', 12).notNullable().references('divisions.code').index();
    t.string('trigger', 32).notNullable();
    t.text('trigger_note').nullable();
    t.text('description').notNullable().defaultTo('');
    t.string('status', 16).notNullable().defaultTo('draft');
    t.bigInteger('created_by').nullable().references('users.id');
    t.jsonb('report').nullable();
    t.jsonb('comments').notNullable().defaultTo('[]');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(
      `trigger in ('initial','scale_change','demolition_relocation','population_movement','other')`,
      [],
      'plans_trigger_check',
    );
    t.check(`status in ('draft','submitted','approved','returned','filed','superseded')`, [], 'plans_status_check');
  });

  await knex.schema.createTable('plan_grids', (t) => {
    t.bigIncrements('id');
    t.bigInteger('plan_id').notNullable().references('plans.id').onDelete('CASCADE').index();
    t.string('code', 17).nullable();
    t.string('name').notNullable();
    t.string('kind', 16).notNullable();
    t.string('subkind', 32).nullable();
    t.string('division_code', 12).notNullable().references('divisions.code');
    t.string('parent_code', 17).nullable();
    t.integer('households').notNullable().defaultTo(0);
    t.integer('population').notNullable().defaultTo(0);
    t.jsonb('managing_units').notNullable().defaultTo('[]');
    t.jsonb('staff').notNullable().defaultTo('[]');
  });
  await knex.raw('ALTER TABLE plan_grids ADD COLUMN geom geometry(MultiPolygon, 4326) NOT NULL');
  await knex.raw('CREATE INDEX plan_grids_geom_gist ON plan_grids USING gist (geom)');

  await knex.schema.createTable('filings', (t) => {
    t.string('number', 32).primary();
    t.bigInteger('plan_id').nullable().references('plans.id');
    t.string('township_code', 12).notNullable().references('divisions.code');
    t.timestamp('filed_at', { useTz: true }).notNullable();
    t.string('approved_by').nullable();
    t.string('filed_by').notNullable();
    t.string('trigger', 32).notNullable();
    t.jsonb('snapshot').notNullable();
    t.string('snapshot_sha256', 64).notNullable();
    t.string('previous_sha256', 64).nullable();
  });

  await knex.schema.createTable('jobs', (t) => {
    t.string('id', 36).primary();
    t.string('kind', 32).notNullable();
    t.string('status', 16).notNullable().defaultTo('queued');
    t.string('phase').nullable();
    t.double('percent').notNullable().defaultTo(0);
    t.jsonb('input').nullable();
    t.jsonb('result').nullable();
    t.jsonb('error').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(`status in ('queued','running','succeeded','failed')`, [], 'jobs_status_check');
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('actor').notNullable();
    t.string('action').notNullable();
    t.string('entity', 32).notNullable();
    t.string('entity_id').notNullable();
    t.jsonb('before').nullable();
    t.jsonb('after').nullable();
  });
  // Append-only: the database itself refuses to rewrite history.
  await knex.raw(`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$`);
  await knex.raw(`
    CREATE TRIGGER audit_log_no_rewrite BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);

  await knex.schema.createTable('app_meta', (t) => {
    t.string('key').primary();
    t.jsonb('value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['app_meta', 'audit_log', 'jobs', 'filings', 'plan_grids', 'plans', 'api_keys', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP FUNCTION IF EXISTS audit_log_append_only()');
}
