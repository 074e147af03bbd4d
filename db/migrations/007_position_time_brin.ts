// Position reports arrive roughly in time order, so a BRIN index answers retention's `time < cutoff` from a few
// block ranges and costs next to nothing per insert, where the B-tree cost about a fifth of ingest time.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS vessel_positions_time_index');
  await knex.raw('CREATE INDEX vessel_positions_time_brin ON vessel_positions USING brin (time)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS vessel_positions_time_brin');
  await knex.raw('CREATE INDEX vessel_positions_time_index ON vessel_positions (time)');
}
