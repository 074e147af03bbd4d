import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { GridFeature, IslandCollection } from '../../../web/src/api/client.ts';
import { householdBand } from '../../../web/src/map/bands.ts';
import { externalBasemapUrl } from '../../../web/src/map/basemap.ts';
import { gridMapData, islandCoverage } from '../../../web/src/map/data.ts';
import { polygonOf } from './draft-fixture.ts';

function grid(code: string, geometry: Polygon, households: number): GridFeature {
  return {
    type: 'Feature',
    id: code,
    geometry,
    properties: {
      code,
      name: `网格 ${code.slice(-3)}`,
      kind: 'comprehensive',
      subkind: 'community',
      divisionCode: code.slice(0, 12),
      parentCode: null,
      households,
      population: households * 2,
      managingUnits: [],
      staff: [],
      version: 1,
      validFrom: '2024-01-15',
      validTo: null,
      status: 'filed',
    },
  };
}

describe('householdBand', () => {
  it('uses 300–500 for grids and 50–80 for micro-grids, inclusive, and none for special and sea grids', () => {
    const band = (households: number, parentCode: string | null = null, kind: 'comprehensive' | 'special' = 'comprehensive') =>
      householdBand({ kind, parentCode, households });
    expect([299, 300, 500, 501].map((h) => band(h))).toEqual(['under', 'in', 'in', 'over']);
    expect([49, 50, 80, 81].map((h) => band(h, '330903001001001'))).toEqual(['under', 'in', 'in', 'over']);
    expect(band(1000, null, 'special')).toBe('none');
  });
});

describe('map data', () => {
  it('labels grids with name and code and carries their band', () => {
    const [feature] = gridMapData([grid('330903001001001', polygonOf('west'), 620)]).features;
    expect(feature.properties).toMatchObject({ band: 'over', micro: false, label: '网格 001\n330903001001001' });
  });

  it('marks an island covered only when a grid touches it', () => {
    const islands: IslandCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: polygonOf('east'), properties: { id: 1, name: '东岛', residents: 900, inhabited: true, countyCode: null, areaKm2: 0.04, synthetic: true } },
        { type: 'Feature', geometry: polygonOf('apart'), properties: { id: 2, name: '远岛', residents: 80, inhabited: true, countyCode: null, areaKm2: 0.01, synthetic: true } },
      ],
    };
    const covered = islandCoverage(islands, [grid('330903001001001', polygonOf('west'), 400)]).features.map((f) => [f.properties.name, f.properties.covered]);
    // West touches East along their shared edge; nothing reaches the far island.
    expect(covered).toEqual([
      ['东岛', true],
      ['远岛', false],
    ]);
  });
});

describe('externalBasemapUrl', () => {
  it('is off unless configured or asked for with an http(s) URL', () => {
    expect(externalBasemapUrl('')).toBeNull();
    expect(externalBasemapUrl('?basemap=javascript:alert(1)')).toBeNull();
    expect(externalBasemapUrl('?basemap=https%3A%2F%2Ftiles.example%2F%7Bz%7D%2F%7Bx%7D%2F%7By%7D.png')).toBe('https://tiles.example/{z}/{x}/{y}.png');
    expect(externalBasemapUrl('', 'https://styles.example/style.json')).toBe('https://styles.example/style.json');
  });
});
