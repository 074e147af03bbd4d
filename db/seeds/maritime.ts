// The demo's sea (舟山条例 Art. 7–9): synthetic fishing vessels, their tracks and the sea grids they work in, around the
// 沈家门 fishing grounds east of 朱家尖 and off 嵊泗. Everything is invented and marked synthetic; the names and MMSIs
// follow the real forms (浙普渔6xxxx, 浙嵊渔0xxxx, 4120001xx).
// Tracks end at a fixed reference time, not at seed time, so the demo situation is reproducible:
// `GET /v1/alerts?at=2026-07-01T06:00:00%2B08:00` shows one member that strayed from its formation and one vessel
// inside an aquaculture zone it does not belong to. Position retention (POSITION_RETENTION_DAYS) prunes these tracks
// once they are older than the window, like any other reports.
import type { Knex } from 'knex';
import type { Polygon } from 'geojson';
import { filePartition, type FilingGrid } from '../../server/db/repositories/filings.ts';
import { addMembership, insertVessel, landGeometries, storePositions } from '../../server/db/repositories/vessels.ts';
import { codeProfile } from '../../server/domain/codes/index.ts';
import { DEFAULT_FOOTPRINT, formationFootprint } from '../../server/domain/maritime/footprint.ts';
import { LandMask } from '../../server/domain/maritime/land.ts';
import type { PositionReport } from '../../server/domain/maritime/positions.ts';
import type { StaffMember } from '../../server/schemas/resources.ts';
import type { SeedLog } from './zhoushan.ts';

/** The moment the demo tracks end; alerts and footprints are meant to be read at this time. */
export const MARITIME_REFERENCE_TIME = new Date('2026-07-01T06:00:00+08:00');

const TRACK_POINTS = 20;
const TRACK_STEP_MS = 5 * 60_000;
const KNOT_M_PER_MS = 1852 / 3_600_000;
const M_PER_DEG_LAT = 111_320;

interface DemoVessel {
  registeredName: string;
  mmsi: string;
  type: string;
  lengthM: number;
  homePort: string;
  /** position at the reference time */
  at: [number, number];
  /** course over ground in degrees and speed in knots over the track */
  cog: number;
  sog: number;
  /** a last leg on another course: how a member strays from its formation */
  breakaway?: { fromStep: number; cog: number; sog: number };
}

interface DemoSeaArea {
  townshipCode: string;
  territorialUnit: string;
  businessUnit: string;
  zones: Array<{ name: string; subkind: 'aquaculture' | 'offshore_operation'; geometry: Polygon; members: string[] }>;
  formations: Array<{ name: string; vessels: DemoVessel[] }>;
}

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

const trawler = (registeredName: string, mmsi: string, at: [number, number], cog: number, extra: Partial<DemoVessel> = {}): DemoVessel => ({
  registeredName,
  mmsi,
  type: 'trawler',
  lengthM: 38,
  homePort: '沈家门',
  at,
  cog,
  sog: 3,
  ...extra,
});

const SHENJIAMEN: DemoSeaArea = {
  townshipCode: '330903001000',
  territorialUnit: '沈家门街道办事处',
  businessUnit: '舟山市海洋与渔业局',
  zones: [
    // 朱家尖 ends at 122.43E; the zones keep clear of it and of the islets off its east coast.
    { name: '朱家尖东贻贝养殖区 (demo)', subkind: 'aquaculture', geometry: box(122.47, 29.80, 122.5, 29.84), members: ['浙普渔60112'] },
    { name: '朱家尖东北藻类养殖区 (demo)', subkind: 'aquaculture', geometry: box(122.47, 29.86, 122.5, 29.89), members: [] },
    { name: '普陀东部海上作业区 (demo)', subkind: 'offshore_operation', geometry: box(122.56, 29.95, 122.62, 29.99), members: [] },
  ],
  formations: [
    {
      name: '普渔第一编组 (demo)',
      vessels: [
        trawler('浙普渔60101', '412000101', [122.55, 29.905], 315),
        trawler('浙普渔60102', '412000102', [122.56, 29.9], 315),
        trawler('浙普渔60103', '412000103', [122.545, 29.895], 315),
        // Broke away east 40 minutes ago: about 7 km beyond the others' footprint at the reference time.
        trawler('浙普渔60104', '412000104', [122.655, 29.9], 315, { breakaway: { fromStep: 12, cog: 80, sog: 9 } }),
      ],
    },
    {
      name: '普渔第二编组 (demo)',
      vessels: [
        trawler('浙普渔60105', '412000105', [122.52, 29.825], 330),
        trawler('浙普渔60106', '412000106', [122.53, 29.82], 330),
        trawler('浙普渔60107', '412000107', [122.525, 29.815], 330),
        // Close to its formation, but inside the mussel farm it has no part in.
        trawler('浙普渔60108', '412000108', [122.495, 29.822], 300),
      ],
    },
  ],
};

const SHENGSI: DemoSeaArea = {
  townshipCode: '330922100000',
  territorialUnit: '菜园镇人民政府',
  businessUnit: '嵊泗县海洋与渔业局',
  zones: [],
  formations: [
    {
      name: '嵊渔第一编组 (demo)',
      vessels: [
        trawler('浙嵊渔00101', '412000111', [122.6, 30.73], 270, { homePort: '嵊泗' }),
        trawler('浙嵊渔00102', '412000112', [122.61, 30.725], 270, { homePort: '嵊泗' }),
        trawler('浙嵊渔00103', '412000113', [122.595, 30.72], 270, { homePort: '嵊泗' }),
      ],
    },
  ],
};

/** The farm's own tender, registered to the mussel zone: inside it and no alert. */
const FARM_TENDER: DemoVessel = {
  registeredName: '浙普渔60112',
  mmsi: '412000109',
  type: 'aquaculture_tender',
  lengthM: 14,
  homePort: '沈家门',
  at: [122.485, 29.815],
  cog: 90,
  sog: 1,
};

/** Reports every five minutes up to the reference time, dead-reckoned backwards from the final position. */
export function demoTrack(vessel: DemoVessel, reference: Date = MARITIME_REFERENCE_TIME): PositionReport[] {
  // The leg that arrives at report k (0 = first, TRACK_POINTS - 1 = at the reference time).
  const legTo = (k: number) => (vessel.breakaway && k >= vessel.breakaway.fromStep ? vessel.breakaway : vessel);
  let [lon, lat] = vessel.at;
  const reports: PositionReport[] = [];
  for (let k = TRACK_POINTS - 1; k >= 0; k--) {
    const { cog, sog } = legTo(k);
    reports.push({ mmsi: vessel.mmsi, time: new Date(reference.getTime() - (TRACK_POINTS - 1 - k) * TRACK_STEP_MS), lon, lat, sog, cog });
    const metres = sog * KNOT_M_PER_MS * TRACK_STEP_MS;
    const rad = (cog * Math.PI) / 180;
    lat -= (metres * Math.cos(rad)) / M_PER_DEG_LAT;
    lon -= (metres * Math.sin(rad)) / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  }
  return reports.reverse();
}

function demoStaff(index: number): StaffMember[] {
  const phone = (k: number) => `1700000${String(9000 + index * 2 + k)}`;
  return [
    { role: 'leader', name: `海上网格长${index + 1} (demo)`, phone: phone(0) },
    { role: 'full_time', name: `海上网格员${index + 1} (demo)`, phone: phone(1) },
  ];
}

async function seedSeaArea(trx: Knex.Transaction, area: DemoSeaArea, staffOffset: number, land: LandMask, log: SeedLog): Promise<number> {
  const vesselIds = new Map<string, string>();
  const vessels = [...area.formations.flatMap((f) => f.vessels), ...(area.zones.some((z) => z.members.includes(FARM_TENDER.registeredName)) ? [FARM_TENDER] : [])];
  let reports = 0;
  for (const v of vessels) {
    const id = await insertVessel(trx, {
      registeredName: v.registeredName,
      mmsi: v.mmsi,
      type: v.type,
      lengthM: v.lengthM,
      homePort: v.homePort,
      ownerName: null,
      ownerPhone: null,
      synthetic: true,
    });
    vesselIds.set(v.registeredName, id);
    reports += await storePositions(trx, demoTrack(v).map((r) => ({ ...r, onLand: land.covers(r.lon, r.lat) })));
  }

  const footprint = (members: DemoVessel[]) =>
    formationFootprint(
      members.map((v) => ({ mmsi: v.mmsi, lon: v.at[0], lat: v.at[1], time: MARITIME_REFERENCE_TIME.getTime() })),
      { now: MARITIME_REFERENCE_TIME.getTime(), ...DEFAULT_FOOTPRINT },
    ).geometry!;
  const seaGrids: Array<{ grid: Omit<FilingGrid, 'staff'>; members: string[] }> = [
    ...area.zones.map((z) => ({ grid: { name: z.name, subkind: z.subkind, geometry: z.geometry }, members: z.members })),
    ...area.formations.map((f) => ({ grid: { name: f.name, subkind: 'vessel_formation', geometry: footprint(f.vessels) }, members: f.vessels.map((v) => v.registeredName) })),
  ].map(({ grid, members }) => ({
    grid: {
      ...grid,
      kind: 'maritime' as const,
      divisionCode: area.townshipCode,
      parentCode: null,
      households: 0,
      population: 0,
      managingUnits: [
        { name: area.territorialUnit, role: 'territorial' as const },
        { name: area.businessUnit, role: 'business' as const },
      ],
      synthetic: true,
    },
    members,
  }));
  const filing = await filePartition(trx, {
    townshipCode: area.townshipCode,
    scope: 'maritime',
    grids: seaGrids.map(({ grid }, i) => ({ ...grid, staff: demoStaff(staffOffset + i) })),
    filedAt: MARITIME_REFERENCE_TIME,
    approvedBy: '舟山市海洋与渔业局 (demo)',
    filedBy: '舟山市网格化工作机构 (demo)',
    trigger: 'initial',
    planId: null,
    profile: codeProfile('default'),
    continuityThreshold: 0.8,
  });
  const validFrom = new Date(MARITIME_REFERENCE_TIME.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  for (const [i, { grid, members }] of seaGrids.entries()) {
    for (const name of members) await addMembership(trx, vesselIds.get(name)!, filing.codes.allocated[i], grid.subkind!, validFrom, null);
  }
  log(`filed sea grids ${filing.number}: ${seaGrids.length} in ${area.townshipCode}, ${vessels.length} vessels, ${reports} position reports`);
  return seaGrids.length;
}

/** Synthetic vessels, tracks, sea grids (filed, dual-managed) and memberships; inside the demo seed's transaction. */
export async function seedMaritimeDemo(trx: Knex.Transaction, log: SeedLog): Promise<void> {
  const land = new LandMask(await landGeometries(trx));
  const filed = await seedSeaArea(trx, SHENJIAMEN, 0, land, log);
  await seedSeaArea(trx, SHENGSI, filed, land, log);
}
