// Loader for the bundled synthetic Zhoushan demo data (divisions, household points, islands), when present.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Feature } from 'geojson';
import type { AreaGeometry, HouseholdPoint, IslandInput } from '../../../server/domain/suggest/types.ts';

const geodata = (name: string) => fileURLToPath(new URL(`../../../geodata/${name}`, import.meta.url));
const FILES = ['zhoushan-divisions-synthetic.geojson', 'zhoushan-households.csv', 'zhoushan-islands.geojson'];

export const zhoushanAvailable = FILES.every((f) => existsSync(geodata(f)));

export interface ZhoushanDivision {
  code: string;
  name: string;
  level: string;
  geometry: AreaGeometry;
}

export interface ZhoushanData {
  divisions: ZhoushanDivision[];
  /** Household points by village code. */
  households: Map<string, HouseholdPoint[]>;
  islands: IslandInput[];
}

export function loadZhoushan(): ZhoushanData {
  const fc = JSON.parse(readFileSync(geodata(FILES[0]), 'utf8')) as { features: Array<Feature<AreaGeometry, { code: string; name: string; level: string }>> };
  const divisions = fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name, level: f.properties.level, geometry: f.geometry }));
  const households = new Map<string, HouseholdPoint[]>();
  const [header, ...rows] = readFileSync(geodata(FILES[1]), 'utf8').trim().split('\n');
  const cols = header.split(',');
  const at = (name: string) => cols.indexOf(name);
  for (const row of rows) {
    const f = row.split(',');
    const village = f[at('villageCode')];
    const list = households.get(village) ?? [];
    list.push({ lon: Number(f[at('lon')]), lat: Number(f[at('lat')]), households: Number(f[at('households')]) });
    households.set(village, list);
  }
  const islandsFc = JSON.parse(readFileSync(geodata(FILES[2]), 'utf8')) as { features: Array<Feature<AreaGeometry, { id: number; residents: number }>> };
  const islands = islandsFc.features.map((f) => ({ id: f.properties.id, residents: f.properties.residents, geometry: f.geometry }));
  return { divisions, households, islands };
}

/** Household points of every village under a division code prefix. */
export function householdsUnder(data: ZhoushanData, code: string): HouseholdPoint[] {
  const prefix = code.replace(/(000)+$/, '');
  return [...data.households].filter(([village]) => village.startsWith(prefix)).flatMap(([, points]) => points);
}
