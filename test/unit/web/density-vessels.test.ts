import { describe, expect, it } from 'vitest';
import type { DensityCellCollection, GridFeature, Vessel, VesselAlert } from '../../../web/src/api/client.ts';
import { densityPoints } from '../../../web/src/map/density.ts';
import { FORMATION_PALETTE, UNASSIGNED_VESSEL_COLOUR, alertMapData, formationsOf, latestReport, vesselMapData } from '../../../web/src/map/vessels.ts';

function cell(ix: number, iy: number, households: number): DensityCellCollection['features'][number] {
  const [w, s, e, n] = [ix, iy, ix + 1, iy + 1].map((v) => v / 100);
  return { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] }, properties: { households, cellSizeDegrees: 0.01 } };
}

function vessel(id: string, formationCode: string | null, at: [number, number] | null, time = '2026-06-30T22:00:00.000Z'): Vessel {
  return {
    id,
    mmsi: `4120001${id.padStart(2, '0')}`,
    registeredName: `浙普渔601${id.padStart(2, '0')}`,
    type: 'trawler',
    lengthM: 38,
    homePort: '沈家门',
    formationCode,
    lastPosition: at && { time, lon: at[0], lat: at[1], sog: 3, cog: 315, onLand: false },
    synthetic: true,
  };
}

const formationGrid = (code: string, name: string) => ({ type: 'Feature', id: code, geometry: { type: 'Polygon', coordinates: [] }, properties: { code, name } }) as unknown as GridFeature;

describe('household density points', () => {
  it('puts one point at the centre of each cell, weighted against the 95th percentile and capped at 1', () => {
    const cells: DensityCellCollection = { type: 'FeatureCollection', features: [...Array.from({ length: 19 }, (_, i) => cell(i, 0, 100)), cell(12250, 2990, 5000)] };
    const points = densityPoints(cells).features;
    expect(points).toHaveLength(20);
    expect(points[0].geometry.coordinates.map((c) => Number(c.toFixed(6)))).toEqual([0.005, 0.005]);
    expect(points.at(-1)!.geometry.coordinates.map((c) => Number(c.toFixed(6)))).toEqual([122.505, 29.905]);
    // 95th percentile of nineteen 100s and one 5000 is 5000: the plain cells weigh 0.02, the dense one 1.
    expect(points[0].properties).toEqual({ households: 100, weight: 0.02 });
    expect(points.at(-1)!.properties.weight).toBe(1);
  });

  it('draws nothing for no cells', () => {
    expect(densityPoints({ type: 'FeatureCollection', features: [] }).features).toEqual([]);
  });
});

describe('vessels on the map', () => {
  const vessels = [vessel('1', '330903001000804', [122.55, 29.905]), vessel('2', '330903001000802', [122.52, 29.825]), vessel('3', null, [122.485, 29.815]), vessel('4', '330903001000804', null)];
  const grids = [formationGrid('330903001000804', '普渔第一编组'), formationGrid('330903001000802', '普渔第二编组')];

  it('gives each formation a colour by code order and its sea grid name', () => {
    expect(formationsOf(vessels, grids)).toEqual([
      { code: '330903001000802', name: '普渔第二编组', colour: FORMATION_PALETTE[0] },
      { code: '330903001000804', name: '普渔第一编组', colour: FORMATION_PALETTE[1] },
    ]);
    // Without the grid on the map the code stands in for the name.
    expect(formationsOf([vessels[0]], [])[0].name).toBe('330903001000804');
  });

  it('draws every vessel that reported, coloured by its formation, grey without one', () => {
    const points = vesselMapData(vessels, formationsOf(vessels, grids)).features;
    expect(points.map((p) => [p.properties.id, p.properties.formation, p.properties.colour])).toEqual([
      ['1', '普渔第一编组', FORMATION_PALETTE[1]],
      ['2', '普渔第二编组', FORMATION_PALETTE[0]],
      ['3', '', UNASSIGNED_VESSEL_COLOUR],
    ]);
    expect(points[0].geometry.coordinates).toEqual([122.55, 29.905]);
  });

  it('rings alerts that have a position and finds the newest report', () => {
    const alert = (mmsi: string, position: VesselAlert['position']): VesselAlert => ({
      kind: 'left_formation',
      vessel: { id: '1', mmsi, registeredName: '浙普渔60104' },
      gridCode: '330903001000804',
      gridName: '普渔第一编组',
      position,
      message: { zh: '离开编组', en: 'left' },
    });
    const rings = alertMapData([alert('412000104', { lon: 122.655, lat: 29.9, time: '2026-06-30T22:00:00.000Z' }), alert('412000105', null)]).features;
    expect(rings.map((r) => [r.properties.mmsi, r.geometry.coordinates])).toEqual([['412000104', [122.655, 29.9]]]);
    expect(latestReport([vessel('1', null, [0, 0], '2026-06-30T21:55:00.000Z'), vessel('2', null, [0, 0], '2026-06-30T22:00:00+00:00'), vessel('3', null, null)])).toBe('2026-06-30T22:00:00+00:00');
    expect(latestReport([vessel('3', null, null)])).toBeNull();
  });
});
