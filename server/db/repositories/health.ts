// What /health reports about the store.
import type { Knex } from 'knex';

export async function storeStatus(knex: Knex): Promise<{ postgis: string; counts: Record<string, number> }> {
  const [{ postgis }] = (await knex.raw('select postgis_lib_version() as postgis')).rows;
  const tables = ['divisions', 'grids', 'islands', 'household_counts', 'vessels', 'plans', 'filings'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [{ count }] = await knex(table).count<{ count: string }[]>({ count: '*' });
    counts[table] = Number(count);
  }
  return { postgis, counts };
}
