// Vessels, their positions and formation membership (sea grids themselves live in `grids` with kind 'maritime').
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('vessels', (t) => {
    t.bigIncrements('id');
    t.string('mmsi', 9).nullable().unique();
    t.string('registered_name').notNullable().unique();
    t.string('type', 32).nullable();
    t.double('length_m').nullable();
    t.string('home_port').nullable();
    t.string('owner_name').nullable();
    t.string('owner_phone').nullable();
    t.boolean('synthetic').notNullable().defaultTo(false);
  });

  // The primary key makes ingestion idempotent: the same report twice is stored once.
  await knex.schema.createTable('vessel_positions', (t) => {
    t.string('mmsi', 9).notNullable();
    t.timestamp('time', { useTz: true }).notNullable();
    t.double('lon').notNullable();
    t.double('lat').notNullable();
    t.double('sog').nullable();
    t.double('cog').nullable();
    t.boolean('on_land').notNullable().defaultTo(false);
    t.primary(['mmsi', 'time']);
    t.index(['time']);
  });

  await knex.schema.createTable('formation_members', (t) => {
    t.bigIncrements('id');
    t.string('formation_code', 17).notNullable().references('grid_codes.code').index();
    t.bigInteger('vessel_id').notNullable().references('vessels.id').onDelete('CASCADE').index();
    t.date('valid_from').notNullable();
    t.date('valid_to').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['formation_members', 'vessel_positions', 'vessels']) await knex.schema.dropTableIfExists(table);
}
