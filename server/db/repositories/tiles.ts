// Vector tiles from the registry. On PostgreSQL + PostGIS, ST_AsMVTGeom and ST_AsMVT encode the tile in the
// database; the embedded PGlite build of PostGIS lacks protobuf-c, so there the clip and snap to the tile grid run
// in SQL and domain/tiles/mvt.ts encodes the result. Shapes and household sums come prepared for tiles
// (db/migrations/009_tile_shapes.ts): a request clips and encodes, nothing more.
import type { Knex } from 'knex';
import type { Geometry } from 'geojson';
import type { Backend } from '../database.ts';
import { encodeMvt, type MvtValue } from '../../domain/tiles/mvt.ts';
import {
  HOUSEHOLD_CELLS_PER_TILE,
  HOUSEHOLD_CELLS_STORED_TO_ZOOM,
  HOUSEHOLD_CELL_ZOOM_OFFSET,
  divisionLevelsAt,
  findTileLayer,
  type TileLayerName,
} from '../../domain/tiles/layers.ts';
import {
  TILE_BUFFER,
  TILE_EXTENT,
  MERCATOR_HALF_WIDTH,
  bufferedBounds3857,
  mercatorBoundsToLonLat,
  tileBounds3857,
  tileBoundsLonLat,
  type Bounds,
  type TileAddress,
} from '../../domain/tiles/tile-math.ts';

/**
 * `optimised`: the stored tile shapes (`tile_geom`: EPSG:3857, simplified once to a tile unit at z16) picked by their
 * GiST index, and household sums from household_cells. `plain`: whole geometries transformed per request and clipped
 * by ST_AsMVTGeom, household points summed per request — the benchmark's baseline.
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
  if (layer === 'households') {
    return options.mode === 'plain' || tile.z > HOUSEHOLD_CELLS_STORED_TO_ZOOM ? summedHouseholdCells(tile) : storedHouseholdCells(tile);
  }
  const { table, where, columns } = TABLE_LAYERS[layer];
  const w = where(tile, options);
  const c = columns(options);
  // The baseline transforms whole shapes and finds them with the lon/lat index.
  const plain = options.mode === 'plain';
  const [geometry, indexed] = plain ? ['ST_Transform(geom, 3857)', 'geom'] : ['tile_geom', 'tile_geom'];
  const reach = bufferedBounds3857(tile);
  const box = plain ? envelope(mercatorBoundsToLonLat(reach), 4326) : envelope(reach, 3857);
  return sql(`SELECT ${geometry} AS g, ${c.sql} FROM ${table} WHERE ${w.sql} AND ${indexed} && ${box.sql}`, [
    ...c.bindings,
    ...w.bindings,
    ...box.bindings,
  ]);
}

/** The tile's household cells as XYZ tiles four zooms deeper: their zoom and index ranges. */
function cellRange({ z, x, y }: TileAddress) {
  const n = HOUSEHOLD_CELLS_PER_TILE;
  return { zoom: z + HOUSEHOLD_CELL_ZOOM_OFFSET, x0: x * n, x1: x * n + n - 1, y0: y * n, y1: y * n + n - 1 };
}

/** Households summed over square cells aligned to the tile, read from the sums kept in household_cells. */
function storedHouseholdCells(tile: TileAddress): Sql {
  const { zoom, x0, x1, y0, y1 } = cellRange(tile);
  return sql(
    `SELECT ST_TileEnvelope(zoom, x, y) AS g, households::int AS households FROM household_cells
     WHERE zoom = ? AND x BETWEEN ? AND ? AND y BETWEEN ? AND ? AND households > 0`,
    [zoom, x0, x1, y0, y1],
  );
}

/**
 * The same cells summed from the household points inside the tile (cell index as household_cells computes it);
 * only points inside the tile, so no cell counts twice.
 */
function summedHouseholdCells(tile: TileAddress): Sql {
  const { zoom, x0, x1, y0, y1 } = cellRange(tile);
  const box = envelope(tileBoundsLonLat(tile), 4326);
  const half = MERCATOR_HALF_WIDTH;
  const index = (offset: string) => `floor(${offset} / (2 * ${half}) * 2 ^ ?::int)::int`;
  return sql(
    `SELECT ST_TileEnvelope(?, x, y) AS g, households FROM (
       SELECT ${index(`(ST_X(p) + ${half})`)} AS x, ${index(`(${half} - ST_Y(p))`)} AS y,
              sum(households)::int AS households
       FROM (SELECT ST_Transform(geom, 3857) AS p, households FROM household_counts WHERE geom && ${box.sql}) points
       GROUP BY 1, 2
     ) cells
     WHERE x BETWEEN ? AND ? AND y BETWEEN ? AND ? AND households > 0`,
    [zoom, zoom, zoom, ...box.bindings, x0, x1, y0, y1],
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
       ) t`,
      [layer, ...env.bindings, ...source.bindings],
    );
    return new Uint8Array(result.rows[0]?.tile ?? []);
  }
  const [minX, , maxX, maxY] = bounds;
  const scale = TILE_EXTENT / (maxX - minX);
  const reach = envelope(bufferedBounds3857(tile), 3857);
  const result = await knex.raw(
    // Materialised so that the clip runs once per row, not once more for each use of `geom` below.
    `WITH t AS MATERIALIZED (
       SELECT ST_CollectionExtract(ST_SnapToGrid(ST_Affine(ST_ClipByBox2D(s.g, ${reach.sql}), ?, 0, 0, ?, ?, ?), 1), 3) AS geom,
              ${quoted(fields, 's')} FROM (${source.sql}) s
     )
     SELECT ST_AsGeoJSON(t.geom, 0)::json AS geometry, ${quoted(fields, 't')} FROM t WHERE NOT ST_IsEmpty(t.geom)`,
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
