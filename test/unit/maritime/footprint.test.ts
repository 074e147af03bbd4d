import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { bufferedHull, distanceToPolygonM, formationFootprint } from '../../../server/domain/maritime/footprint.ts';
import { currentAlerts, DEFAULT_ALERTS, type FormationState } from '../../../server/domain/maritime/alerts.ts';

const NOW = Date.parse('2024-05-01T08:00:00Z');
const vessel = (n: number) => ({ id: String(n), mmsi: `41200000${n}`, registeredName: `浙普渔6411${n}` });

describe('formation footprint', () => {
  it('is the hull of fresh members buffered by the distance; stale members are reported', () => {
    const members = [
      { mmsi: 'a', lon: 122.40, lat: 29.90, time: NOW },
      { mmsi: 'b', lon: 122.45, lat: 29.90, time: NOW - 60_000 },
      { mmsi: 'c', lon: 122.42, lat: 29.94, time: NOW },
      { mmsi: 'd', lon: 122.60, lat: 29.60, time: NOW - 3 * 3600_000 },
    ];
    const fp = formationFootprint(members, { now: NOW, freshnessMs: 30 * 60_000, bufferM: 1000 });
    expect(fp.fresh).toEqual(['a', 'b', 'c']);
    expect(fp.stale).toEqual(['d']);
    const hull = turf.convex(turf.featureCollection(members.slice(0, 3).map((m) => turf.point([m.lon, m.lat]))))!;
    const expected = turf.area(turf.buffer(hull, 1, { units: 'kilometers' })!);
    expect(Math.abs(turf.area(fp.geometry!) - expected) / expected).toBeLessThan(0.02);
    expect(turf.booleanPointInPolygon([122.60, 29.60], fp.geometry!)).toBe(false);
  });
  it('is a disc around a lone vessel and null without fresh members', () => {
    const disc = bufferedHull([[122.4, 29.9]], 1852)!;
    expect(Math.abs(turf.area(disc) / (Math.PI * 1852 ** 2) - 1)).toBeLessThan(0.01);
    expect(turf.booleanPointInPolygon(turf.destination([122.4, 29.9], 1.85, 45, { units: 'kilometers' }), disc)).toBe(true);
    expect(formationFootprint([], { now: NOW, freshnessMs: 1, bufferM: 1 }).geometry).toBeNull();
  });
  it('measures distance to a polygon in metres, zero inside', () => {
    const disc = bufferedHull([[122.4, 29.9]], 1000)!;
    expect(distanceToPolygonM(122.4, 29.9, disc)).toBe(0);
    const d = distanceToPolygonM(122.4, 30.0, disc);
    expect(d).toBeCloseTo(turf.distance([122.4, 29.9], [122.4, 30.0], { units: 'meters' }) - 1000, -1);
  });
});

describe('alerts', () => {
  const at = (lon: number, lat: number, minutesAgo = 0) => ({ lon, lat, time: NOW - minutesAgo * 60_000 });
  const formation: FormationState = {
    code: '330903001000801',
    name: '测试编组',
    members: [
      { vessel: vessel(1), position: at(122.40, 29.90) },
      { vessel: vessel(2), position: at(122.41, 29.90) },
      { vessel: vessel(3), position: at(122.40, 29.91) },
      { vessel: vessel(4), position: at(122.80, 29.90) },
      { vessel: vessel(5), position: at(122.40, 29.90, 120) },
    ],
  };
  const zone = {
    code: '330903001000802',
    name: '测试养殖区',
    geometry: turf.bboxPolygon([122.79, 29.89, 122.81, 29.91]).geometry,
    memberIds: new Set(['9']),
  };

  it('lists a member far from the others, a stale member and an intruder in an aquaculture zone', () => {
    const vessels = formation.members.map((m) => ({ vessel: m.vessel, position: m.position }));
    const alerts = currentAlerts([formation], [zone], vessels, { now: NOW, ...DEFAULT_ALERTS });
    expect(alerts.map((a) => [a.kind, a.vessel.id])).toEqual([
      ['left_formation', '4'],
      ['stale_member', '5'],
      ['aquaculture_intrusion', '4'],
    ]);
    expect(alerts[0].distanceM).toBeGreaterThan(30_000);
  });
  it('says nothing about a zone member inside its zone', () => {
    const alerts = currentAlerts([], [zone], [{ vessel: vessel(9), position: at(122.8, 29.9) }], { now: NOW, ...DEFAULT_ALERTS });
    expect(alerts).toEqual([]);
  });
});
