// The filed registry: divisions, grids with their history, code registry and lineage, staff, islands, household counts.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('divisions', (t) => {
    t.string('code', 12).primary();
    t.string('name').notNullable();
    t.string('level', 16).notNullable();
    t.string('parent_code', 12).nullable().index();
    t.integer('households').notNullable().defaultTo(0);
    t.integer('population').notNullable().defaultTo(0);
    t.boolean('synthetic').notNullable().defaultTo(false);
    t.check(`level in ('city','county','township','village')`, [], 'divisions_level_check');
    t.check(`code ~ '^[0-9]{12}$'`, [], 'divisions_code_check');
  });
  await knex.raw('ALTER TABLE divisions ADD COLUMN geom geometry(MultiPolygon, 4326)');
  await knex.raw('CREATE INDEX divisions_geom_gist ON divisions USING gist (geom)');

  // Every code ever allocated stays here, so a retired code can never be handed out again.
  await knex.schema.createTable('grid_codes', (t) => {
    t.string('code', 17).primary();
    t.string('division_code', 12).notNullable().references('divisions.code');
    t.string('kind', 16).notNullable();
    t.string('status', 16).notNullable().defaultTo('active');
    t.timestamp('allocated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('retired_at', { useTz: true }).nullable();
    t.check(`status in ('active','retired')`, [], 'grid_codes_status_check');
  });

  // One row per grid version; the version in force has valid_to null.
  await knex.schema.createTable('grids', (t) => {
    t.bigIncrements('id');
    t.string('code', 17).notNullable().references('grid_codes.code');
    t.integer('version').notNullable().defaultTo(1);
    t.string('name').notNullable();
    t.string('kind', 16).notNullable();
    t.string('subkind', 32).nullable();
    t.string('division_code', 12).notNullable().references('divisions.code');
    t.string('parent_code', 17).nullable();
    t.integer('households').notNullable().defaultTo(0);
    t.integer('population').notNullable().defaultTo(0);
    t.jsonb('managing_units').notNullable().defaultTo('[]');
    t.string('status', 16).notNullable().defaultTo('filed');
    t.date('valid_from').notNullable();
    t.date('valid_to').nullable();
    t.string('filing_number').nullable();
    t.boolean('synthetic').notNullable().defaultTo(false);
    t.unique(['code', 'version']);
    t.index(['division_code']);
    t.check(`kind in ('comprehensive','special','maritime')`, [], 'grids_kind_check');
    t.check(`status in ('filed','retired')`, [], 'grids_status_check');
    t.check('valid_to is null or valid_to >= valid_from', [], 'grids_validity_check');
  });
  await knex.raw('ALTER TABLE grids ADD COLUMN geom geometry(MultiPolygon, 4326) NOT NULL');
  await knex.raw('CREATE INDEX grids_geom_gist ON grids USING gist (geom)');
  await knex.raw('CREATE UNIQUE INDEX grids_code_in_force ON grids (code) WHERE valid_to IS NULL');
  await knex.raw('CREATE INDEX grids_validity ON grids (valid_from, valid_to)');

  await knex.schema.createTable('grid_staff', (t) => {
    t.bigIncrements('id');
    t.bigInteger('grid_id').notNullable().references('grids.id').onDelete('CASCADE').index();
    t.string('role', 16).notNullable();
    t.string('name').notNullable();
    t.string('phone').nullable();
    t.boolean('full_time').notNullable().defaultTo(false);
    t.check(`role in ('leader','worker','info_officer')`, [], 'grid_staff_role_check');
  });

  await knex.schema.createTable('grid_lineage', (t) => {
    t.bigIncrements('id');
    t.string('from_code', 17).notNullable().index();
    t.string('to_code', 17).notNullable().index();
    t.string('relation', 16).notNullable();
    t.string('filing_number').nullable();
    t.date('on_date').notNullable();
    t.check(`relation in ('reshape','split','merge')`, [], 'grid_lineage_relation_check');
  });

  await knex.schema.createTable('islands', (t) => {
    t.integer('id').primary();
    t.string('name').nullable();
    t.integer('residents').notNullable().defaultTo(0);
    t.string('county_code', 12).nullable().references('divisions.code');
    t.double('area_km2').notNullable();
    t.boolean('synthetic').notNullable().defaultTo(true);
  });
  await knex.raw('ALTER TABLE islands ADD COLUMN geom geometry(MultiPolygon, 4326) NOT NULL');
  await knex.raw('CREATE INDEX islands_geom_gist ON islands USING gist (geom)');

  // Counts only, never personal records.
  await knex.schema.createTable('household_counts', (t) => {
    t.bigIncrements('id');
    t.string('village_code', 12).nullable().references('divisions.code').index();
    t.integer('households').notNullable();
    t.string('source', 32).notNullable().defaultTo('synthetic');
    t.check('households >= 0', [], 'household_counts_households_check');
  });
  await knex.raw('ALTER TABLE household_counts ADD COLUMN geom geometry(Point, 4326) NOT NULL');
  await knex.raw('CREATE INDEX household_counts_geom_gist ON household_counts USING gist (geom)');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['household_counts', 'islands', 'grid_lineage', 'grid_staff', 'grids', 'grid_codes', 'divisions']) {
    await knex.schema.dropTableIfExists(table);
  }
}
