// Loads the small island fixture (test/fixtures/geodata/islands.geojson, open it in QGIS to see the cases).
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Polygon } from 'geojson';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/geodata/islands.geojson', import.meta.url), 'utf8'),
) as FeatureCollection<Polygon, { id: number }>;

export function island(id: number): Polygon {
  const feature = fixture.features.find((f) => f.properties.id === id);
  if (!feature) throw new Error(`no island ${id} in the fixture`);
  return feature.geometry;
}
