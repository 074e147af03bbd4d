// Vector tiles from the registry. On PostgreSQL + PostGIS, ST_AsMVTGeom and ST_AsMVT encode the tile in the
// database; the embedded PGlite build of PostGIS lacks protobuf-c, so there the same clip, transform,
// simplify and snap run in SQL and domain/tiles/mvt.ts encodes the result.
import type { Knex } from 'knex';
import type { Geometry } from 'geojson';
import type { Backend } from '../database.ts';
import { encodeMvt, type MvtValue } from '../../domain/tiles/mvt.ts';
import { HOUSEHOLD_CELLS_PER_TILE, divisionLevelsAt, findTileLayer, type TileLayerName } from '../../domain/tiles/layers.ts';
import {
  TILE_BUFFER,
  TILE_EXTENT,
  bufferedBounds3857,
  mercatorBoundsToLonLat,
  simplifyTolerance,
  tileBounds3857,
  tileBoundsLonLat,
  type Bounds,
  type TileAddress,
} from '../../domain/tiles/tile-math.ts';

/**
 * `optimised`: clip to the tile in lon/lat first (the GiST index has already picked the rows), then transform and
 * simplify per zoom. `plain`: transform whole geometries and let ST_AsMVTGeom clip — the benchmark's baseline.
 */
export type TileRenderMode = 'optimised' | 'plain';

export interface TileRenderOptions {
  mode?: TileRenderMode;
  /** Residents from which an island counts as inhabited. */
  inhabitedThreshold: number;
}

interface Sql {
  sql: string;
  bindings: Knex.RawBinding[];
}

const envelope = (b: Bounds, srid: number): Sql => ({ sql: `ST_MakeEnvelope(?, ?, ?, ?, ${srid})`, bindings: [...b] });

interface TableLayer {
  table: string;
  /** Conditions every row of the layer meets; `?` bindings come from `where`'s bindings. */
  where: (tile: TileAddress, options: TileRenderOptions) => Sql;
  /** Attribute expressions, aliased to the layer's field names. */
  columns: (options: TileRenderOptions) => Sql;
}

const gridColumns = `code, name, kind, subkind, division_code AS "divisionCode", households, version`;
const sql = (text: string, bindings: Knex.RawBinding[] = []): Sql => ({ sql: text, bindings });

const TABLE_LAYERS: Record<Exclude<TileLayerName, 'households'>, TableLayer> = {
  grids: {
    table: 'grids',
    where: () => sql(`valid_to IS NULL AND parent_code IS NULL AND kind IN ('comprehensive', 'special')`),
    columns: () => sql(gridColumns),
  },
  'micro-grids': {
    table: 'grids',
    where: () => sql('valid_to IS NULL AND parent_code IS NOT NULL'),
    columns: () => sql(`${gridColumns}, parent_code AS "parentCode"`),
  },
  'sea-grids': {
    table: 'grids',
    where: () => sql(`valid_to IS NULL AND kind = 'maritime'`),
    columns: () => sql(gridColumns),
  },
  divisions: {
    table: 'divisions',
    where: (tile) => sql('geom IS NOT NULL AND level = ANY(?::text[])', [divisionLevelsAt(tile.z)]),
    columns: () => sql(`code, name, level, parent_code AS "parentCode", households, synthetic`),
  },
  islands: {
    table: 'islands',
    where: () => sql('true'),
    columns: (o) => sql('id, name, residents, residents >= ? AS inhabited', [o.inhabitedThreshold]),
  },
};

/** Rows of the layer that touch the tile, geometry `g` in EPSG:3857 and one column per field. */
function layerSource(layer: TileLayerName, tile: TileAddress, options: TileRenderOptions): Sql {
  const reach = mercatorBoundsToLonLat(bufferedBounds3857(tile));
  if (layer === 'households') return householdCells(tile);
  const { table, where, columns } = TABLE_LAYERS[layer];
  const w = where(tile, options);
  const c = columns(options);
  const box = envelope(reach, 4326);
  const geometry =
    options.mode === 'plain'
      ? sql('ST_Transform(geom, 3857)')
      : sql(`ST_SimplifyPreserveTopology(ST_Transform(ST_ClipByBox2D(geom, ${box.sql}), 3857), ?)`, [
          ...box.bindings,
          simplifyTolerance(tile.z),
        ]);
  return sql(`SELECT ${geometry.sql} AS g, ${c.sql} FROM ${table} WHERE ${w.sql} AND geom && ${box.sql}`, [
    ...geometry.bindings,
    ...c.bindings,
    ...w.bindings,
    ...box.bindings,
  ]);
}

/** Households summed over square cells aligned to the tile; only points inside the tile, so no cell counts twice. */
function householdCells(tile: TileAddress): Sql {
  const [minX, minY, maxX] = tileBounds3857(tile);
  const cell = (maxX - minX) / HOUSEHOLD_CELLS_PER_TILE;
  const box = envelope(tileBoundsLonLat(tile), 4326);
  return sql(
    `SELECT ST_MakeEnvelope(?::float8 + i * ?::float8, ?::float8 + j * ?::float8,
                            ?::float8 + (i + 1) * ?::float8, ?::float8 + (j + 1) * ?::float8, 3857) AS g, households
     FROM (SELECT floor((ST_X(p) - ?::float8) / ?::float8)::int AS i, floor((ST_Y(p) - ?::float8) / ?::float8)::int AS j,
                  sum(households)::int AS households
           FROM (SELECT ST_Transform(geom, 3857) AS p, households FROM household_counts WHERE geom && ${box.sql}) points
           GROUP BY 1, 2) cells
     WHERE i BETWEEN 0 AND ? AND j BETWEEN 0 AND ? AND households > 0`,
    [minX, cell, minY, cell, minX, cell, minY, cell, minX, cell, minY, cell, ...box.bindings, HOUSEHOLD_CELLS_PER_TILE - 1, HOUSEHOLD_CELLS_PER_TILE - 1],
  );
}

const quoted = (fields: string[], alias: string) => fields.map((f) => `${alias}."${f}"`).join(', ');

/**
 * The tile of one layer as MVT bytes; zero bytes when nothing of the layer reaches the tile.
 * @example await renderTile(knex, 'postgresql', 'grids', { z: 12, x: 3437, y: 1687 }, { inhabitedThreshold: 50 })
 */
export async function renderTile(
  knex: Knex,
  backend: Backend,
  layer: TileLayerName,
  tile: TileAddress,
  options: TileRenderOptions,
): Promise<Uint8Array> {
  const fields = Object.keys(findTileLayer(layer)!.fields);
  const source = layerSource(layer, tile, options);
  const bounds = tileBounds3857(tile);
  if (backend === 'postgresql') {
    const env = envelope(bounds, 3857);
    const result = await knex.raw(
      `SELECT ST_AsMVT(t, ?, ${TILE_EXTENT}, 'geom') AS tile FROM (
         SELECT ST_AsMVTGeom(s.g, ${env.sql}, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom, ${quoted(fields, 's')} FROM (${source.sql}) s
       ) t WHERE t.geom IS NOT NULL`,
      [layer, ...env.bindings, ...source.bindings],
    );
    return new Uint8Array(result.rows[0]?.tile ?? []);
  }
  const [minX, minY, maxX, maxY] = bounds;
  const scale = TILE_EXTENT / (maxX - minX);
  const reach = envelope(bufferedBounds3857(tile), 3857);
  const result = await knex.raw(
    `SELECT ST_AsGeoJSON(t.geom, 0)::json AS geometry, ${quoted(fields, 't')} FROM (
       SELECT ST_CollectionExtract(ST_SnapToGrid(ST_Affine(ST_ClipByBox2D(s.g, ${reach.sql}), ?, 0, 0, ?, ?, ?), 1), 3) AS geom,
              ${quoted(fields, 's')} FROM (${source.sql}) s
     ) t WHERE t.geom IS NOT NULL AND NOT ST_IsEmpty(t.geom)`,
    [...reach.bindings, scale, -scale, -minX * scale, maxY * scale, ...source.bindings],
  );
  const rows = result.rows as ({ geometry: Geometry } & Record<string, MvtValue | null>)[];
  return encodeMvt([
    {
      name: layer,
      extent: TILE_EXTENT,
      features: rows.map(({ geometry, ...properties }) => ({ geometry, properties })),
    },
  ]);
}

/** The lon/lat extent of a layer's data, or null when it has none. */
export async function tileLayerBounds(knex: Knex, layer: TileLayerName, options: TileRenderOptions): Promise<Bounds | null> {
  const from =
    layer === 'households'
      ? sql('household_counts WHERE true')
      : (() => {
          const { table, where } = TABLE_LAYERS[layer];
          const w = where({ z: 16, x: 0, y: 0 }, options);
          return sql(`${table} WHERE ${w.sql}`, w.bindings);
        })();
  const result = await knex.raw(
    `SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom) AS e FROM ${from.sql}) x`,
    from.bindings,
  );
  const row = result.rows[0];
  return row && row.w !== null ? [row.w, row.s, row.e, row.n] : null;
}
