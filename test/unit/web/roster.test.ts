import { describe, expect, it } from 'vitest';
import type { GridFeature, Vessel } from '../../../web/src/api/client.ts';
import { UNASSIGNED_VESSEL_COLOUR, formationsOf } from '../../../web/src/map/vessels.ts';
import { fleetRows, formationChoices } from '../../../web/src/sea/roster.ts';

function seaGrid(code: string, name: string, subkind: string, kind = 'maritime'): GridFeature {
  return { type: 'Feature', id: code, geometry: { type: 'Polygon', coordinates: [] }, properties: { code, name, kind, subkind, divisionCode: code.slice(0, 12) } } as unknown as GridFeature;
}

function vessel(id: string, name: string, formationCode: string | null): Vessel {
  return { id, mmsi: `41200010${id}`, registeredName: name, type: 'trawler', lengthM: 38, homePort: '沈家门', formationCode, lastPosition: null, synthetic: true };
}

const grids = [
  seaGrid('330922100000801', '嵊渔第一编组', 'vessel_formation'),
  seaGrid('330903001000805', '普渔第二编组', 'vessel_formation'),
  seaGrid('330903001000804', '普渔第一编组', 'vessel_formation'),
  seaGrid('330903001000800', '贻贝养殖区', 'aquaculture'),
  seaGrid('330903001001001', '新街社区第1网格', 'community', 'comprehensive'),
];

describe('the vessel list', () => {
  it('offers the vessel formations in force, by code, and nothing else', () => {
    expect(formationChoices(grids).map((f) => [f.code, f.name])).toEqual([
      ['330903001000804', '普渔第一编组'],
      ['330903001000805', '普渔第二编组'],
      ['330922100000801', '嵊渔第一编组'],
    ]);
  });

  it('lists vessels by formation in legend order, those in none last, by name within, each in its formation colour', () => {
    const vessels = [
      vessel('6', '浙普渔60112', null),
      vessel('3', '浙普渔60106', '330903001000805'),
      vessel('1', '浙普渔60101', '330903001000804'),
      vessel('2', '浙普渔60105', '330903001000805'),
    ];
    const formations = formationsOf(vessels, grids);
    const rows = fleetRows(vessels, formations);
    expect(rows.map((r) => [r.name, r.formationName])).toEqual([
      ['浙普渔60101', '普渔第一编组'],
      ['浙普渔60105', '普渔第二编组'],
      ['浙普渔60106', '普渔第二编组'],
      ['浙普渔60112', null],
    ]);
    expect(rows[0].colour).toBe(formations[0].colour);
    expect(rows[1].colour).toBe(formations[1].colour);
    expect(rows[3].colour).toBe(UNASSIGNED_VESSEL_COLOUR);
  });
});
