// Islands (海岛): land polygons with their residents.
import type { Knex } from 'knex';
import type { Island } from '../../schemas/resources.ts';
import type { AreaGeometry } from '../../schemas/geojson.ts';

export interface IslandFeature {
  type: 'Feature';
  id: number;
  properties: Island;
  geometry: AreaGeometry;
}

export async function listIslands(knex: Knex, inhabitedThreshold: number): Promise<IslandFeature[]> {
  const rows = await knex('islands')
    .select('id', 'name', 'residents', 'county_code', 'area_km2', 'synthetic')
    .select(knex.raw('ST_AsGeoJSON(geom, 6)::json as geometry'))
    .orderBy('id');
  return rows.map((row) => ({
    type: 'Feature',
    id: row.id,
    geometry: row.geometry,
    properties: {
      id: row.id,
      name: row.name,
      residents: row.residents,
      inhabited: row.residents >= inhabitedThreshold,
      countyCode: row.county_code,
      areaKm2: row.area_km2,
      synthetic: row.synthetic,
    },
  }));
}
