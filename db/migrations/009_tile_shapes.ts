// What vector tiles draw, prepared when the data is written instead of on every tile request.
// - `tile_geom` on divisions, islands and grids: the shape in Web Mercator (EPSG:3857), simplified once to one tile
//   unit at z16 (the layers' maxzoom; clients overzoom beyond). Transforming and simplifying per request made
//   low-zoom tiles over the city and county outlines the slowest of all. A generated column follows every write.
// - `household_cells`: households summed per Web Mercator tile at zooms 4–16, the 16 × 16 cells of tiles at z0–12,
//   kept by statement triggers on household_counts, so a low-zoom density tile reads at most 256 rows instead of
//   summing every household point under it.
import type { Knex } from 'knex';

/** Half the width of the Web Mercator square in metres. */
const HALF = 20037508.342789244;
/** One tile unit at z16 in metres (tile width / 4096), as simplifyTolerance(16) in server/domain/tiles/tile-math.ts. */
const TOLERANCE_Z16 = (2 * HALF) / 2 ** 16 / 4096;
const SHAPE_TABLES = ['divisions', 'islands', 'grids'] as const;

/**
 * Adds (sign 1) or takes away (sign -1) the households of a transition table's rows: summed per z16 cell first (an
 * XYZ tile index, y from the north), then each z16 cell into its parents at zooms 4–16 by dropping low bits.
 */
const applyRows = (table: string, sign: 1 | -1) => `
    WITH cells AS MATERIALIZED (
      SELECT floor((ST_X(p) + ${HALF}) / (2 * ${HALF}) * 2 ^ 16)::int AS x, floor((${HALF} - ST_Y(p)) / (2 * ${HALF}) * 2 ^ 16)::int AS y,
             sum(households) AS households
      FROM (SELECT ST_Transform(geom, 3857) AS p, households FROM ${table}) points GROUP BY 1, 2
    )
    INSERT INTO household_cells (zoom, x, y, households)
    SELECT z, x >> (16 - z), y >> (16 - z), ${sign} * sum(households) FROM cells CROSS JOIN generate_series(4, 16) AS z
    GROUP BY 1, 2, 3
    ON CONFLICT (zoom, x, y) DO UPDATE SET households = household_cells.households + excluded.households;`;

export async function up(knex: Knex): Promise<void> {
  for (const table of SHAPE_TABLES) {
    await knex.raw(
      `ALTER TABLE ${table} ADD COLUMN tile_geom geometry GENERATED ALWAYS AS
         (ST_SimplifyPreserveTopology(ST_Transform(geom, 3857), ${TOLERANCE_Z16})) STORED`,
    );
    await knex.raw(`CREATE INDEX ${table}_tile_geom_gist ON ${table} USING gist (tile_geom)`);
  }

  await knex.raw(`CREATE TABLE household_cells (
    zoom smallint NOT NULL, x integer NOT NULL, y integer NOT NULL, households bigint NOT NULL,
    PRIMARY KEY (zoom, x, y))`);
  await knex.raw(`CREATE FUNCTION household_cells_follow() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      TRUNCATE household_cells;
      RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${applyRows('old_rows', -1)}
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN ${applyRows('new_rows', 1)}
    END IF;
    RETURN NULL;
  END $$`);
  // A trigger with transition tables serves one event, hence one per event.
  await knex.raw(`CREATE TRIGGER household_cells_insert AFTER INSERT ON household_counts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_cells_follow()`);
  await knex.raw(`CREATE TRIGGER household_cells_update AFTER UPDATE ON household_counts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_cells_follow()`);
  await knex.raw(`CREATE TRIGGER household_cells_delete AFTER DELETE ON household_counts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_cells_follow()`);
  await knex.raw(`CREATE TRIGGER household_cells_truncate AFTER TRUNCATE ON household_counts
    FOR EACH STATEMENT EXECUTE FUNCTION household_cells_follow()`);
  // Counts already stored (a database migrated after its seed).
  await knex.raw(applyRows('household_counts', 1));
}

export async function down(knex: Knex): Promise<void> {
  for (const event of ['insert', 'update', 'delete', 'truncate']) {
    await knex.raw(`DROP TRIGGER IF EXISTS household_cells_${event} ON household_counts`);
  }
  await knex.raw('DROP FUNCTION IF EXISTS household_cells_follow()');
  await knex.raw('DROP TABLE IF EXISTS household_cells');
  for (const table of SHAPE_TABLES) await knex.raw(`ALTER TABLE ${table} DROP COLUMN IF EXISTS tile_geom`);
}
