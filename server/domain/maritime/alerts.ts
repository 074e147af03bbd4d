// Alerts as data (舟山条例 Art. 7–9 sea grids): a member that has left its formation, a member gone quiet, a vessel
// inside an aquaculture zone it does not belong to. Computed from the current state; nothing is stored.
import * as turf from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { distanceToPolygonM, formationFootprint, type MemberPosition } from './footprint.ts';

export type AlertKind = 'left_formation' | 'stale_member' | 'aquaculture_intrusion';

export interface VesselRef {
  id: string;
  mmsi: string | null;
  registeredName: string;
}

export interface LatestPosition {
  lon: number;
  lat: number;
  /** epoch milliseconds */
  time: number;
}

export interface Alert {
  kind: AlertKind;
  vessel: VesselRef;
  gridCode: string;
  gridName: string;
  position: LatestPosition | null;
  /** left_formation: metres from the area the rest of the formation covers */
  distanceM?: number;
  message: { zh: string; en: string };
}

export interface FormationState {
  code: string;
  name: string;
  members: Array<{ vessel: VesselRef; position: LatestPosition | null }>;
}

export interface ZoneState {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
  /** Vessel ids registered to the zone (its farm's boats). */
  memberIds: ReadonlySet<string>;
}

export interface AlertOptions {
  now: number;
  freshnessMs: number;
  bufferM: number;
  /** How far beyond the others' buffered footprint a member may be before it has left the formation. */
  leaveDistanceM: number;
}

export const DEFAULT_ALERTS = { freshnessMs: 30 * 60_000, bufferM: 1852, leaveDistanceM: 5_000 };

const km = (m: number) => (m / 1000).toFixed(1);

/**
 * Current alerts. A member has left its formation when it lies more than `leaveDistanceM` outside the footprint of
 * the other fresh members (the formation's own footprint always contains every member, so it cannot be the measure).
 */
export function currentAlerts(
  formations: readonly FormationState[],
  zones: readonly ZoneState[],
  vessels: ReadonlyArray<{ vessel: VesselRef; position: LatestPosition | null }>,
  options: AlertOptions,
): Alert[] {
  const alerts: Alert[] = [];
  const isFresh = (p: LatestPosition | null): p is LatestPosition => p !== null && options.now - p.time <= options.freshnessMs;

  for (const formation of formations) {
    const fresh = formation.members.filter((m) => isFresh(m.position)) as Array<{ vessel: VesselRef; position: LatestPosition }>;
    for (const member of formation.members) {
      if (!isFresh(member.position)) {
        alerts.push({
          kind: 'stale_member',
          vessel: member.vessel,
          gridCode: formation.code,
          gridName: formation.name,
          position: member.position,
          message: {
            zh: `${member.vessel.registeredName} 超过 ${options.freshnessMs / 60_000} 分钟无船位报告`,
            en: `${member.vessel.registeredName} has not reported for more than ${options.freshnessMs / 60_000} min`,
          },
        });
        continue;
      }
      const others: MemberPosition[] = fresh
        .filter((m) => m.vessel.id !== member.vessel.id)
        .map((m) => ({ mmsi: m.vessel.id, lon: m.position.lon, lat: m.position.lat, time: m.position.time }));
      const area = formationFootprint(others, { now: options.now, freshnessMs: options.freshnessMs, bufferM: options.bufferM }).geometry;
      if (!area) continue;
      const distanceM = distanceToPolygonM(member.position.lon, member.position.lat, area);
      if (distanceM > options.leaveDistanceM) {
        alerts.push({
          kind: 'left_formation',
          vessel: member.vessel,
          gridCode: formation.code,
          gridName: formation.name,
          position: member.position,
          distanceM: Math.round(distanceM),
          message: {
            zh: `${member.vessel.registeredName} 离开编组 ${formation.name} ${km(distanceM)} 公里`,
            en: `${member.vessel.registeredName} is ${km(distanceM)} km outside formation ${formation.name}`,
          },
        });
      }
    }
  }

  for (const { vessel, position } of vessels) {
    if (!isFresh(position)) continue;
    for (const zone of zones) {
      if (zone.memberIds.has(vessel.id) || !turf.booleanPointInPolygon([position.lon, position.lat], zone.geometry)) continue;
      alerts.push({
        kind: 'aquaculture_intrusion',
        vessel,
        gridCode: zone.code,
        gridName: zone.name,
        position,
        message: { zh: `${vessel.registeredName} 进入非所属养殖海域 ${zone.name}`, en: `${vessel.registeredName} is inside aquaculture zone ${zone.name} it does not belong to` },
      });
    }
  }
  return alerts;
}
