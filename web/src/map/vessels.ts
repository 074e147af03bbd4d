// Vessel positions and alerts as map points: each vessel coloured and labelled by its formation (编组), alerts as rings.
import { featureCollection } from '@turf/turf';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GridFeature, Vessel, VesselAlert } from '../api/client.ts';

/** Distinct on the sea colour and apart from the sea-grid and band colours. */
export const FORMATION_PALETTE = ['#d9480f', '#5f3dc4', '#0c8599', '#c2255c', '#2b8a3e', '#e67700', '#364fc7', '#862e9c'] as const;
export const UNASSIGNED_VESSEL_COLOUR = '#495057';

export interface Formation {
  code: string;
  name: string;
  colour: string;
}

export type VesselPoint = { id: string; mmsi: string; name: string; formationCode: string; formation: string; colour: string; time: string };
export type AlertPoint = { kind: VesselAlert['kind']; mmsi: string; name: string; gridCode: string };

/**
 * The formations the vessels belong to, in code order, each with its colour: a formation keeps its colour whatever
 * vessels are listed. The name comes from the formation's sea grid when it is on the map.
 * @example formationsOf(vessels, seaGrids) // [{ code: '330903001000804', name: '普渔第一编组 (demo)', colour: '#d9480f' }]
 */
export function formationsOf(vessels: Vessel[], grids: GridFeature[]): Formation[] {
  const names = new Map(grids.flatMap((g) => (g.properties.code ? [[g.properties.code, g.properties.name] as const] : [])));
  const codes = [...new Set(vessels.flatMap((v) => (v.formationCode ? [v.formationCode] : [])))].sort();
  return codes.map((code, i) => ({ code, name: names.get(code) ?? code, colour: FORMATION_PALETTE[i % FORMATION_PALETTE.length] }));
}

/** One point per vessel at its last reported position; vessels that never reported are not drawn. */
export function vesselMapData(vessels: Vessel[], formations: Formation[]): FeatureCollection<Point, VesselPoint> {
  const byCode = new Map(formations.map((f) => [f.code, f]));
  return featureCollection(
    vessels.flatMap((v): Feature<Point, VesselPoint>[] => {
      if (!v.lastPosition) return [];
      const formation = v.formationCode ? byCode.get(v.formationCode) : undefined;
      return [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [v.lastPosition.lon, v.lastPosition.lat] },
          properties: {
            id: v.id,
            mmsi: v.mmsi ?? '',
            name: v.registeredName,
            formationCode: v.formationCode ?? '',
            formation: formation?.name ?? '',
            colour: formation?.colour ?? UNASSIGNED_VESSEL_COLOUR,
            time: v.lastPosition.time,
          },
        },
      ];
    }),
  );
}

/** One ring per alert that has a position (a member that never reported has none). */
export function alertMapData(alerts: VesselAlert[]): FeatureCollection<Point, AlertPoint> {
  return featureCollection(
    alerts.flatMap((a): Feature<Point, AlertPoint>[] =>
      a.position
        ? [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [a.position.lon, a.position.lat] },
              properties: { kind: a.kind, mmsi: a.vessel.mmsi ?? '', name: a.vessel.registeredName, gridCode: a.gridCode },
            },
          ]
        : [],
    ),
  );
}

/** The time of the newest position report among the vessels, or null when none has reported. */
export function latestReport(vessels: Vessel[]): string | null {
  const times = vessels.flatMap((v) => (v.lastPosition ? [v.lastPosition.time] : []));
  return times.length ? times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null;
}
