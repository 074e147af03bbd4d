// Vessels, position ingest and alerts through HTTP on both backends. The sea grids the ingest checks use are filed by
// the test itself (a formation and an aquaculture zone at sea off 东极) so they do not depend on the demo's sea grids,
// which are checked on their own: the synthetic formations, zones and tracks of db/seeds/maritime.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import * as turf from '@turf/turf';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { tileOf } from '../../server/domain/tiles/tile-math.ts';
import { filePartition } from '../../server/db/repositories/filings.ts';
import { codeProfile } from '../../server/domain/codes/index.ts';
import { MARITIME_REFERENCE_TIME } from '../../db/seeds/maritime.ts';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';
import { pruneVesselPositions } from '../../server/db/repositories/vessels.ts';

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
// 东极镇: a township without demo sea grids, so this filing does not replace them.
const TOWNSHIP = '330903105000';
const DEMO_AT = encodeURIComponent(MARITIME_REFERENCE_TIME.toISOString());
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe.each(BACKENDS)('vessels, positions and alerts on %s', (backend) => {
  let service: TestService;
  let formationCode: string;
  let zoneCode: string;
  const call = (method: 'GET' | 'POST', url: string, key?: string, payload?: unknown, contentType?: string) =>
    service.app.inject({
      method,
      url,
      payload: payload as string | object | undefined,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
    });
  const register = (body: object) => call('POST', '/v1/vessels', 'demo-maritime', body);

  beforeAll(async () => {
    service = await startTestService(backend);
    const filing = await service.db.knex.transaction((trx) =>
      filePartition(trx, {
        townshipCode: TOWNSHIP,
        scope: 'maritime',
        grids: [
          { name: '测试编组', kind: 'maritime' as const, subkind: 'vessel_formation', geometry: box(122.9, 29.8, 122.95, 29.85) },
          { name: '测试养殖区', kind: 'maritime' as const, subkind: 'aquaculture', geometry: box(123.2, 29.8, 123.25, 29.85) },
        ].map((g) => ({ ...g, divisionCode: TOWNSHIP, parentCode: null, households: 0, population: 0, managingUnits: [], staff: [], synthetic: true })),
        filedAt: new Date(Date.now() - 86_400_000),
        approvedBy: 'test',
        filedBy: 'test',
        trigger: 'initial',
        planId: null,
        profile: codeProfile('default'),
        continuityThreshold: 0.8,
      }),
    );
    [formationCode, zoneCode] = filing.codes.allocated;
  }, 120_000);
  afterAll(async () => service?.close());

  it('seeds three synthetic formations with their members, and dual-managed sea grids in the maritime range', async () => {
    const body = (await call('GET', '/v1/grids?kind=maritime&limit=1000')).json();
    type SeaGrid = { properties: { code: string; name: string; subkind: string; divisionCode: string; managingUnits: Array<{ role: string }> } };
    const demo = (body.features as SeaGrid[]).filter((f) => f.properties.name.endsWith('(demo)')).map((f) => f.properties);
    const bySubkind = (subkind: string) => demo.filter((g) => g.subkind === subkind);
    expect(bySubkind('vessel_formation')).toHaveLength(3);
    expect(bySubkind('aquaculture')).toHaveLength(2);
    expect(bySubkind('offshore_operation')).toHaveLength(1);
    for (const g of demo) {
      expect(g.code.startsWith(g.divisionCode)).toBe(true);
      expect(Number(g.code.slice(12))).toBeGreaterThanOrEqual(800);
      expect(g.managingUnits.map((u) => u.role).sort()).toEqual(['business', 'territorial']);
    }
    expect(new Set(bySubkind('vessel_formation').map((g) => g.divisionCode))).toEqual(new Set(['330903001000', '330922100000']));
    const members = await service.db.knex('formation_members').whereIn('formation_code', bySubkind('vessel_formation').map((g) => g.code)).groupBy('formation_code').select('formation_code').count({ n: '*' });
    expect(members.map((m) => Number(m.n)).sort()).toEqual([3, 4, 4]);
  });

  it('keeps the demo sea grids and tracks off land, and sea grids of one subkind apart', async () => {
    const demoGrids = `SELECT * FROM grids WHERE kind = 'maritime' AND name LIKE '%(demo)' AND valid_to IS NULL`;
    const { rows: onLand } = await service.db.knex.raw(`SELECT g.name FROM (${demoGrids}) g JOIN islands i ON ST_Intersects(g.geom, i.geom)`);
    expect(onLand).toEqual([]);
    const { rows: overlaps } = await service.db.knex.raw(
      `SELECT a.name FROM (${demoGrids}) a JOIN (${demoGrids}) b ON a.subkind = b.subkind AND a.code < b.code AND ST_Intersects(a.geom, b.geom)`,
    );
    expect(overlaps).toEqual([]);
    const reports = await service.db.knex('vessel_positions').where('mmsi', 'like', '4120001%').select('on_land');
    expect(reports.length).toBeGreaterThanOrEqual(12 * 20);
    expect(reports.filter((r: { on_land: boolean }) => r.on_land)).toEqual([]);
    const vessels = await service.db.knex('vessels').where('mmsi', 'like', '4120001%').select('synthetic');
    expect(vessels.map((v: { synthetic: boolean }) => v.synthetic)).toEqual(Array(12).fill(true));
    const { rows: unlabelled } = await service.db.knex.raw(`SELECT code FROM (${demoGrids}) g WHERE NOT synthetic`);
    expect(unlabelled).toEqual([]);
  });

  it('finds the demo aquaculture zone by point lookup', async () => {
    const body = (await call('GET', '/v1/lookup?lon=122.48&lat=29.83')).json();
    expect(body.seaGrids.map((g: { name: string }) => g.name)).toContain('朱家尖东贻贝养殖区 (demo)');
  });

  it('shows the demo situation at the reference time: the member that strayed and the intruder in the mussel farm', async () => {
    const { alerts } = (await call('GET', `/v1/alerts?at=${DEMO_AT}`, 'demo-client')).json();
    const demo = alerts.filter((a: { vessel: { mmsi: string | null } }) => a.vessel.mmsi?.startsWith('4120001'));
    expect(demo.map((a: { kind: string; vessel: { mmsi: string }; gridName: string }) => [a.kind, a.vessel.mmsi, a.gridName]).sort()).toEqual([
      ['aquaculture_intrusion', '412000108', '朱家尖东贻贝养殖区 (demo)'],
      ['left_formation', '412000104', '普渔第一编组 (demo)'],
    ]);
    // An hour later every demo member has gone quiet.
    const later = encodeURIComponent(new Date(MARITIME_REFERENCE_TIME.getTime() + 3600_000).toISOString());
    const stale = (await call('GET', `/v1/alerts?at=${later}`, 'demo-client')).json().alerts.filter((a: { kind: string; vessel: { mmsi: string | null } }) => a.vessel.mmsi?.startsWith('4120001'));
    expect(new Set(stale.map((a: { kind: string }) => a.kind))).toEqual(new Set(['stale_member']));
    expect(stale).toHaveLength(11);
  });

  it('prunes reports past the retention period but keeps the synthetic demo tracks', async () => {
    const knex = service.db.knex;
    const old = new Date(Date.now() - 400 * 86_400_000);
    await knex('vessel_positions').insert({ mmsi: '412999001', time: old, lon: 122.6, lat: 29.9 });
    const demoBefore = await knex('vessel_positions as p').join('vessels as v', 'v.mmsi', 'p.mmsi').where('v.synthetic', true).count({ n: '*' });
    expect(await pruneVesselPositions(knex, 90)).toBeGreaterThanOrEqual(1);
    expect(Number((await knex('vessel_positions').where({ mmsi: '412999001' }).count({ n: '*' }))[0].n)).toBe(0);
    const demoAfter = await knex('vessel_positions as p').join('vessels as v', 'v.mmsi', 'p.mmsi').where('v.synthetic', true).count({ n: '*' });
    expect(demoAfter).toEqual(demoBefore);
    expect(Number(demoAfter[0].n)).toBeGreaterThan(200);
  });

  it('registers vessels and refuses a malformed MMSI or name, naming the field', async () => {
    const ok = await register({ registeredName: '浙普渔61001', mmsi: '412561001', type: 'trawler', lengthM: 38, ownerName: '测试船东', ownerPhone: '17000009999' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ registeredName: '浙普渔61001', mmsi: '412561001', warnings: [] });
    const beacon = await register({ registeredName: '鲁荣渔58288', mmsi: '970123456' });
    expect(beacon.statusCode).toBe(201);
    expect(beacon.json().warnings).toHaveLength(2);
    const badMmsi = await register({ registeredName: '浙普渔61002', mmsi: '41234567' });
    expect(badMmsi.statusCode).toBe(400);
    expect(badMmsi.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/mmsi']);
    const badName = await register({ registeredName: '浙X渔1234', mmsi: '412561003' });
    expect(badName.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/registeredName']);
    expect((await register({ registeredName: '浙普渔61001' })).statusCode).toBe(409);
    // vessel:edit is the maritime authority's: not an API client's, an AIS feed's or a land planner's.
    for (const key of ['demo-client', 'demo-ais', 'demo-planner']) {
      expect((await call('POST', '/v1/vessels', key, { registeredName: '浙普渔61009' })).statusCode).toBe(403);
    }
    expect((await call('POST', '/v1/vessels', undefined, { registeredName: '浙普渔61009' })).statusCode).toBe(401);
  });

  it('shows the owner only to roles entitled to personal data', async () => {
    const asClient = (await call('GET', '/v1/vessels/412561001', 'demo-client')).json();
    expect(asClient.registeredName).toBe('浙普渔61001');
    expect(asClient.owner).toBeUndefined();
    expect(JSON.stringify((await call('GET', '/v1/vessels?limit=1000', 'demo-client')).json())).not.toContain('17000009999');
    const asAuthority = (await call('GET', `/v1/vessels/${encodeURIComponent('浙普渔61001')}`, 'demo-maritime')).json();
    expect(asAuthority.owner).toEqual({ name: '测试船东', phone: '17000009999' });
  });

  it('stores a JSON batch once, accepts out-of-order reports, flags land and rejects the future per row', async () => {
    const batch = [
      { mmsi: '412561001', time: minutesAgo(10), lon: 122.91, lat: 29.82, sog: 5, cog: 90 },
      { mmsi: '412561001', time: minutesAgo(5), lon: 122.92, lat: 29.82, sog: 5, cog: 90 },
    ];
    const first = (await call('POST', '/v1/positions', 'demo-maritime', batch)).json();
    expect(first).toMatchObject({ received: 2, stored: 2, duplicates: 0, outOfOrder: 0, rejected: [] });
    const again = (await call('POST', '/v1/positions', 'demo-maritime', batch)).json();
    expect(again).toMatchObject({ received: 2, stored: 0, duplicates: 2 });
    const late = (await call('POST', '/v1/positions', 'demo-maritime', [{ mmsi: '412561001', time: minutesAgo(20), lon: 122.9, lat: 29.82 }])).json();
    expect(late).toMatchObject({ stored: 1, outOfOrder: 1 });
    // 沈家门 town centre, on 舟山岛.
    const mixed = (
      await call('POST', '/v1/positions', 'demo-maritime', [
        { mmsi: '412561009', time: minutesAgo(3), lon: 122.30, lat: 29.95 },
        { mmsi: '412561009', time: new Date(Date.now() + 3600_000).toISOString(), lon: 122.9, lat: 29.8 },
      ])
    ).json();
    expect(mixed).toMatchObject({ received: 2, stored: 1, onLand: 1 });
    expect(mixed.rejected).toEqual([{ index: 1, pointer: '/1/time', message: expect.stringContaining('future') }]);
    const row = await service.db.knex('vessel_positions').where({ mmsi: '412561009' }).first();
    expect(row.on_land).toBe(true);
    const vessel = (await call('GET', '/v1/vessels/412561001', 'demo-client')).json();
    expect(vessel.lastPosition).toMatchObject({ lon: 122.92, lat: 29.82, onLand: false });
  });

  it('takes position reports from the maritime authority and AIS feeds only (position:write)', async () => {
    const report = [{ mmsi: '412561021', time: minutesAgo(3), lon: 122.95, lat: 29.9 }];
    const fromFeed = await call('POST', '/v1/positions', 'demo-ais', report);
    expect(fromFeed.statusCode, fromFeed.body).toBe(200);
    expect(fromFeed.json()).toMatchObject({ stored: 1 });
    for (const key of ['demo-client', 'demo-planner', 'demo-registrar']) {
      const refused = await call('POST', '/v1/positions', key, report);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().detail).toContain('position:write');
    }
    expect((await call('POST', '/v1/positions', undefined, report)).statusCode).toBe(401);
  });

  it('stores overlapping batches sent at the same time once each, in whatever order they arrive', async () => {
    const reports = Array.from({ length: 300 }, (_, i) => ({ mmsi: `41256104${i % 10}`, time: minutesAgo(30 - i * 0.05), lon: 122.95 + i * 1e-4, lat: 29.9 }));
    const answers = await Promise.all([reports, [...reports].reverse(), reports.slice(100)].map((batch) => call('POST', '/v1/positions', 'demo-ais', batch)));
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
    const stored = answers.map((a) => a.json().stored as number);
    expect(stored.reduce((sum, n) => sum + n, 0)).toBe(300);
    expect(answers.map((a, i) => a.json().duplicates + stored[i])).toEqual([300, 300, 200]);
    const [{ n }] = await service.db.knex('vessel_positions').where('mmsi', 'like', '41256104_').count({ n: '*' });
    expect(Number(n)).toBe(300);
  });

  it('ingests CSV and NMEA, counting checksum errors', async () => {
    const [first, second] = [minutesAgo(4), minutesAgo(3)];
    const csv = `mmsi,time,lon,lat,sog,cog\n412561002,${first},122.93,29.83,3.5,180\n412561002,${minutesAgo(2)},122.93,abc,3.5,180\n412561002,${second},122.931,-29.83e0,,\n`;
    const fromCsv = (await call('POST', '/v1/positions', 'demo-maritime', csv, 'text/csv')).json();
    expect(fromCsv).toMatchObject({ received: 3, stored: 2, rejected: [{ row: 3, pointer: 'lat' }] });
    // Stored exactly as sent, to the millisecond and the last bit, nulls as nulls (binary COPY on PostgreSQL).
    const rows = await service.db.knex('vessel_positions').where({ mmsi: '412561002' }).orderBy('time').select('time', 'lon', 'lat', 'sog', 'cog', 'on_land');
    expect(rows.map((r) => ({ ...r, time: new Date(r.time).toISOString() }))).toEqual([
      { time: first, lon: 122.93, lat: 29.83, sog: 3.5, cog: 180, on_land: false },
      { time: second, lon: 122.931, lat: -29.83, sog: null, cog: null, on_land: false },
    ]);
    const nmea = '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C\n!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*00\n';
    const fromNmea = (await call('POST', '/v1/positions', 'demo-maritime', nmea, 'text/plain')).json();
    expect(fromNmea).toMatchObject({ received: 2, stored: 1, checksumErrors: 1 });
    const stored = await service.db.knex('vessel_positions').where({ mmsi: '477553000' }).first();
    expect(stored.lat).toBeCloseTo(47.582833, 5);
    expect((await call('POST', '/v1/positions', 'demo-maritime', '<x/>', 'application/xml')).statusCode).toBe(415);
  });

  it('lists a member far from its formation and a vessel in an aquaculture zone not its own', async () => {
    for (const [i, name] of ['浙普渔61011', '浙普渔61012', '浙普渔61013'].entries()) {
      const mmsi = `41256101${i + 1}`;
      const vessel = (await register({ registeredName: name, mmsi })).json();
      const joined = await call('POST', `/v1/vessels/${vessel.id}/formation`, 'demo-maritime', { formationCode });
      expect(joined.statusCode).toBe(200);
      expect(joined.json().formationCode).toBe(formationCode);
    }
    const positions = [
      { mmsi: '412561011', time: minutesAgo(1), lon: 122.92, lat: 29.82 },
      { mmsi: '412561012', time: minutesAgo(1), lon: 122.93, lat: 29.83 },
      // 30 km east, inside the aquaculture zone.
      { mmsi: '412561013', time: minutesAgo(1), lon: 123.22, lat: 29.82 },
    ];
    expect((await call('POST', '/v1/positions', 'demo-maritime', positions)).json().stored).toBe(3);
    const { alerts } = (await call('GET', '/v1/alerts', 'demo-client')).json();
    const mine = alerts.filter((a: { vessel: { mmsi: string } }) => a.vessel.mmsi?.startsWith('4125610'));
    expect(mine.map((a: { kind: string; vessel: { mmsi: string }; gridCode: string }) => [a.kind, a.vessel.mmsi, a.gridCode])).toEqual(
      expect.arrayContaining([
        ['left_formation', '412561013', formationCode],
        ['aquaculture_intrusion', '412561013', zoneCode],
      ]),
    );
    expect(mine.some((a: { vessel: { mmsi: string } }) => a.vessel.mmsi !== '412561013')).toBe(false);
    const refused = await call('POST', '/v1/vessels/412561011/formation', 'demo-maritime', { formationCode: '330903001000001' });
    expect(refused.statusCode).toBe(400);
    // Rosters need vessel:edit: an AIS feed may report the vessel's position, not move it between formations.
    expect((await call('POST', '/v1/vessels/412561011/formation', 'demo-ais', { formationCode })).statusCode).toBe(403);
  });

  it('lists a vessel in the formation it joined last, and counts it there only: twice on one day, and in the evening (UTC) when Zhoushan is a day ahead', async () => {
    const sea = (await call('GET', '/v1/grids?kind=maritime&limit=1000')).json().features as { properties: { code: string; subkind: string } }[];
    const [first, second] = sea.filter((g) => g.properties.subkind === 'vessel_formation').map((g) => g.properties.code);
    const vessel = (await register({ registeredName: '浙普渔61031', mmsi: '412561031' })).json();
    // 18:30 UTC is 02:30 the next day in Zhoushan: a membership dated by the Zhoushan day must be listed at once.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${new Date().toISOString().slice(0, 10)}T18:30:00Z`), shouldAdvanceTime: true });
    try {
      for (const code of [first, second, first]) {
        const joined = await call('POST', `/v1/vessels/${vessel.id}/formation`, 'demo-maritime', { formationCode: code });
        expect(joined.statusCode).toBe(200);
        expect(joined.json().formationCode).toBe(code);
        const listed = (await call('GET', '/v1/vessels?limit=10000', 'demo-maritime')).json().vessels.find((v: { id: string }) => v.id === vessel.id);
        expect(listed.formationCode).toBe(code);
      }
      // The day's earlier joins were superseded, so the vessel's report moves the last formation's footprint only.
      const report = await call('POST', '/v1/positions', 'demo-ais', [{ mmsi: '412561031', time: minutesAgo(0.5), lon: 122.95, lat: 29.83 }]);
      expect(report.json()).toMatchObject({ stored: 1, footprintsUpdated: [first] });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the formation footprint current: ingest derives it onto the version in force, and lookup, tiles and OGC follow', async () => {
    const grid = () => call('GET', `/v1/grids/${formationCode}`, 'demo-client');
    const before = await grid();
    const filed = before.json();
    // The filed footprint is a box over 122.90–122.95 E; its north-west corner is more than a buffer from the members.
    const westOfMembers = [122.903, 29.848];
    const between = [123.08, 29.825];
    const seaGridsAt = async ([lon, lat]: number[]) => ((await call('GET', `/v1/lookup?lon=${lon}&lat=${lat}`)).json().seaGrids as Array<{ code: string }>).map((g) => g.code);
    const latest = [
      { mmsi: '412561011', time: minutesAgo(0.5), lon: 122.921, lat: 29.821 },
      { mmsi: '412561012', time: minutesAgo(0.5), lon: 122.931, lat: 29.831 },
      { mmsi: '412561013', time: minutesAgo(0.5), lon: 123.221, lat: 29.821 },
    ];
    const ingest = await call('POST', '/v1/positions', 'demo-ais', latest);
    expect(ingest.json()).toMatchObject({ stored: 3, footprintsUpdated: [formationCode] });

    const after = await grid();
    const moved = after.json();
    expect(moved.properties.version).toBe(filed.properties.version);
    expect(Date.now() - Date.parse(moved.properties.footprintAt)).toBeLessThan(60_000);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const footprint = moved.geometry as MultiPolygon;
    for (const { lon, lat } of latest) expect(turf.booleanPointInPolygon([lon, lat], footprint)).toBe(true);
    // Buffered by FORMATION_BUFFER_M (1852 m): a point 1.5 km north of a member is in, the old corner is out.
    expect(turf.booleanPointInPolygon([122.921, 29.821 + 1500 / 111_320], footprint)).toBe(true);
    expect(turf.booleanPointInPolygon(westOfMembers, footprint)).toBe(false);

    // The in-memory lookup index refreshes its sea layer when it hears of the batch.
    const deadline = Date.now() + 2_000;
    while (!(await seaGridsAt(between)).includes(formationCode) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await seaGridsAt(between)).toContain(formationCode);
    expect(await seaGridsAt(westOfMembers)).not.toContain(formationCode);
    const ogc = (await call('GET', `/ogc/collections/sea-grids/items/${formationCode}`)).json();
    expect(turf.booleanPointInPolygon(between, ogc.geometry)).toBe(true);
    const tile = tileOf(between[0], between[1], 10);
    const drawn = await call('GET', `/tiles/sea-grids/${tile.z}/${tile.x}/${tile.y}.mvt`);
    expect(drawn.statusCode).toBe(200);
    const layer = new VectorTile(new PbfReader(drawn.rawPayload)).layers['sea-grids'];
    expect(Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties.code)).toContain(formationCode);

    // Late and repeated reports cannot move a footprint; the filing record keeps the footprint as filed.
    expect((await call('POST', '/v1/positions', 'demo-ais', latest)).json()).toMatchObject({ stored: 0, footprintsUpdated: [] });
    const late = [{ mmsi: '412561011', time: minutesAgo(20), lon: 122.99, lat: 29.99 }];
    expect((await call('POST', '/v1/positions', 'demo-ais', late)).json()).toMatchObject({ stored: 1, outOfOrder: 1, footprintsUpdated: [] });
    expect((await grid()).json().properties.footprintAt).toBe(moved.properties.footprintAt);
    expect((await call('GET', '/v1/filings/verify', 'demo-registrar')).json()).toMatchObject({ ok: true });
  });
});
