// Reads the draft-edits fixture by role, so each test names the shape it uses.
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Geometry, LineString, Polygon } from 'geojson';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/web/draft-edits.geojson', import.meta.url), 'utf8')) as FeatureCollection<Geometry, { role: string }>;

function byRole(role: string): Geometry {
  const found = fixture.features.find((f) => f.properties.role === role);
  if (!found) throw new Error(`no fixture feature with role ${role}`);
  return found.geometry;
}

export const polygonOf = (role: 'west' | 'east' | 'apart') => byRole(role) as Polygon;
export const lineOf = (role: 'cut-north-south' | 'cut-bent' | 'miss' | 'stops-inside') => byRole(role) as LineString;
