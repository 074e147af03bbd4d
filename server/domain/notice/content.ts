// What a public notice (公示, 舟山条例 Art. 22) shows for one filed grid: name and area, the people who serve it with
// their contacts (the regulation requires them to be public), the managing units and the supervision hotline.
import { area, feature } from '@turf/turf';
import { Type, type Static } from 'typebox';
import { Division, DivisionCode, DivisionLevel, Grid, GridCode, GridKind, GridSubkind, ManagingUnit, StaffRole } from '../../schemas/resources.ts';
import { byRole } from '../staff/roster.ts';
import { AreaGeometry } from '../../schemas/geojson.ts';
import { ChainHead } from '../../schemas/plans.ts';

export const NoticeStaff = Type.Object({
  role: StaffRole,
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
});

export const NoticeDivision = Type.Object({
  code: DivisionCode,
  name: Type.String(),
  chain: Type.Array(Type.Object({ code: DivisionCode, name: Type.String(), level: DivisionLevel }), {
    description: 'the division and its ancestors, nearest first (village → township → county → city)',
  }),
});

/** Printed on every notice so that a filing removed later shows against it (GET /v1/filings/verify?sha256=&number=). */
const NoticeChainHead = Type.Union([ChainHead, Type.Null()], { description: 'the head of the filing chain when the notice was produced (null: nothing filed)' });

export const GridNotice = Type.Object({
  code: GridCode,
  name: Type.String(),
  kind: GridKind,
  subkind: Type.Union([GridSubkind, Type.Null()]),
  division: NoticeDivision,
  households: Type.Integer(),
  population: Type.Integer(),
  areaKm2: Type.Number(),
  staff: Type.Array(NoticeStaff),
  managingUnits: Type.Array(ManagingUnit),
  hotline: Type.String({ description: 'supervision hotline (监督举报电话), NOTICE_HOTLINE' }),
  validFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  chainHead: NoticeChainHead,
  geometry: AreaGeometry,
});
export type GridNotice = Static<typeof GridNotice>;

export const DivisionNotice = Type.Object({
  division: NoticeDivision,
  at: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  hotline: Type.String(),
  chainHead: NoticeChainHead,
  notices: Type.Array(GridNotice),
});
export type DivisionNotice = Static<typeof DivisionNotice>;

export interface FiledGrid {
  properties: Grid;
  geometry: AreaGeometry;
}

export function noticeDivision(chain: Division[]): Static<typeof NoticeDivision> {
  const [own] = chain;
  return { code: own.code, name: own.name, chain: chain.map(({ code, name, level }) => ({ code, name, level })) };
}

/**
 * The notice of a filed grid. `chain` is the grid's division and its ancestors, nearest first; staff come
 * leader first, then full-time and part-time workers, instructors and micro-grid liaisons, each with the phone the
 * registry holds. `chainHead` is the filing chain's head as the notice is produced.
 */
export function assembleGridNotice(grid: FiledGrid, chain: Division[], hotline: string, chainHead: ChainHead | null): GridNotice {
  const p = grid.properties;
  if (p.code === null) throw new Error('a public notice needs a filed grid with a code');
  const staff = [...p.staff]
    .sort(byRole)
    .map((s) => ({ role: s.role, name: s.name, phone: s.phone ?? null }));
  return {
    code: p.code,
    name: p.name,
    kind: p.kind,
    subkind: p.subkind,
    division: noticeDivision(chain),
    households: p.households,
    population: p.population,
    areaKm2: Math.round(area(feature(grid.geometry)) / 1e4) / 100,
    staff,
    managingUnits: p.managingUnits,
    hotline,
    validFrom: p.validFrom,
    chainHead,
    geometry: grid.geometry,
  };
}
