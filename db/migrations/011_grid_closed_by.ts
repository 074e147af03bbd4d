// Which filing ended a grid version (replaced it or retired its code). valid_to is only a date, and a township can be
// filed twice on one day, so the partition in force right after each filing, which verify recomputes and compares to
// that filing's hash, is exact only with the closing filing recorded. Versions closed before this migration get it
// from their successor version's filing, or for a retired code from the filing made at its retirement time.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grids', (t) => {
    t.string('closed_by').nullable();
    t.index(['filing_number']);
  });
  await knex.raw(
    `UPDATE grids g SET closed_by = s.filing_number FROM grids s
     WHERE g.valid_to IS NOT NULL AND s.code = g.code AND s.version = g.version + 1`,
  );
  await knex.raw(
    `UPDATE grids g SET closed_by = f.number FROM grid_codes c, filings f
     WHERE g.valid_to IS NOT NULL AND g.closed_by IS NULL AND c.code = g.code AND c.retired_at = f.filed_at
       AND f.scope = CASE WHEN g.kind = 'maritime' THEN 'maritime' ELSE 'land' END
       AND g.division_code LIKE left(f.township_code, 9) || '%'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grids', (t) => {
    t.dropIndex(['filing_number']);
    t.dropColumn('closed_by');
  });
}
