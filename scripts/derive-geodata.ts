// Derives the synthetic Zhoushan demo geodata from the NBS division list and OSM land polygons.
// Deterministic (fixed seed). Run: npm run derive:geodata   (see geodata/SOURCES.md)
import { readFileSync, writeFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { assignIslandsToCounties, type CountyAnchor, type LandIsland } from '../server/domain/geodata/counties.ts';
import { gridsForVillage, householdsPerGrid } from '../server/domain/geodata/grids.ts';
import { householdPoints, RURAL_PATTERN, URBAN_PATTERN, type HouseholdPoint } from '../server/domain/geodata/households.ts';
import {
  areaKm2,
  densify,
  containsPoint,
  distanceKm,
  multiPolygonOf,
  pointToAreaKm,
  placeOnLand,
  polygonsOf,
  type Area,
  randomPointIn,
  randomPointNear,
  roundArea,
  splitAlongLine,
} from '../server/domain/geodata/land.ts';
import { nodeBoundaries } from '../server/domain/geometry/noding.ts';
import { splitPinchedRings } from '../server/domain/geometry/pinched-rings.ts';
import { partitionBySeeds, type LandPiece } from '../server/domain/geodata/partition.ts';
import { gaussian, mulberry32, randomInt, type Random } from '../server/domain/random.ts';
import { allocateIntegers } from '../server/domain/geodata/allocate.ts';
import {
  CITY_CODE,
  DAISHAN,
  DINGHAI,
  DINGHAI_PUTUO_LINE,
  FOREIGN_LAND_IDS,
  KNOWN_ISLANDS,
  PUTUO,
  SHENGSI,
  TOWNSHIP_SEEDS,
  VILLAGE_ISLANDS,
  ZHOUSHAN_ISLAND_ID,
} from '../server/domain/geodata/zhoushan-seeds.ts';

const SEED = 20240917;
const TARGET_HOUSEHOLDS = 450_000;
const SMALL_ISLAND_KM2 = 2;
const EDGE_KM = 0.25;
/** Above the worst offset (~1.4e-6°, 15 cm) of a rounded corner from the edge it was cut on, far below real vertex spacing. */
const NODING_TOLERANCE_DEG = 2e-6;
/** Rough shares of the city's residents per county (order of magnitude of the 2020 census), so the demo is not lopsided. */
const COUNTY_SHARE: Readonly<Record<string, number>> = { [DINGHAI]: 0.45, [PUTUO]: 0.325, [DAISHAN]: 0.16, [SHENGSI]: 0.065 };
const GRID_TOWNSHIP = '330903001000'; // 沈家门街道

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const geodata = (name: string) => join(root, 'geodata', name);

interface Division {
  code: string;
  name: string;
  level: 'city' | 'county' | 'township' | 'village';
  parentCode: string;
}

type VillageKind = 'community' | 'village' | 'special';

interface LandProperties {
  id: number;
  area_km2: number;
  name_hint?: string;
}

/**
 * Valid rings, outer rings counter-clockwise, holes clockwise (RFC 7946): raw OSM islands handed whole to a division
 * are not oriented so, and 衢山岛's outline (and the divisions cut from it or meeting at a point) pinch at a vertex.
 */
const rfc7946 = (area: MultiPolygon): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: splitPinchedRings(area).coordinates.map((polygon) =>
    polygon.map((ring, i) => (turf.booleanClockwise(ring) === (i === 0) ? [...ring].reverse() : ring)),
  ),
});

function readDivisions(): Division[] {
  const [, ...rows] = readFileSync(geodata('zhoushan-divisions.csv'), 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [code, name, level, parentCode] = row.split(',');
    return { code, name, level: level as Division['level'], parentCode };
  });
}

/** 3-digit village part: 0xx 居委会, 2xx 村委会, 4xx/5xx parks, farms, bases and other special units. */
function villageKind(code: string): VillageKind {
  const serial = Number(code.slice(9));
  return serial >= 400 ? 'special' : serial < 200 ? 'community' : 'village';
}

const isStreet = (township: Division) => township.name.endsWith('街道');

/** Households a village is given before scaling to the city total: towns dense, hamlets sparse. */
function householdTarget(kind: VillageKind, street: boolean, random: Random): number {
  const spread = Math.exp(0.35 * gaussian(random));
  const clamp = (x: number, min: number, max: number) => Math.round(Math.min(max, Math.max(min, x)));
  if (kind === 'special') return randomInt(random, 150, 700);
  if (kind === 'community') return street ? clamp(2300 * spread, 900, 4800) : clamp(1400 * spread, 600, 3000);
  return street ? clamp(750 * spread, 300, 1700) : clamp(560 * spread, 200, 1400);
}

function main(): void {
  const started = Date.now();
  const random = mulberry32(SEED);
  const divisions = readDivisions();
  const byCode = new Map(divisions.map((d) => [d.code, d]));
  const childrenOf = (code: string) => divisions.filter((d) => d.parentCode === code);
  const counties = childrenOf(CITY_CODE);
  const land = JSON.parse(readFileSync(geodata('zhoushan-land-osm.geojson'), 'utf8')) as FeatureCollection<Polygon, LandProperties>;
  const landById = new Map(land.features.map((f) => [f.properties.id, f]));

  // 1. Counties: 舟山岛 cut along the line, every other island whole to the county of its nearest known island.
  const zhoushan = landById.get(ZHOUSHAN_ISLAND_ID)!.geometry;
  const halves = splitAlongLine(zhoushan, DINGHAI_PUTUO_LINE);
  if (!halves.west || !halves.east) throw new Error('the 定海/普陀 line misses 舟山岛');
  const anchors: CountyAnchor[] = [
    { countyCode: DINGHAI, area: halves.west },
    { countyCode: PUTUO, area: halves.east },
    ...KNOWN_ISLANDS.map((k) => ({ countyCode: k.county, area: landById.get(k.id)!.geometry })),
    ...FOREIGN_LAND_IDS.map((id) => ({ countyCode: null, area: landById.get(id)!.geometry })),
  ];
  const islands: LandIsland[] = land.features
    .filter((f) => f.properties.id !== ZHOUSHAN_ISLAND_ID)
    .map((f) => ({ id: f.properties.id, polygon: f.geometry }));
  const overrides = new Map<number, string | null>([
    ...KNOWN_ISLANDS.map((k): [number, string] => [k.id, k.county]),
    ...FOREIGN_LAND_IDS.map((id): [number, null] => [id, null]),
  ]);
  const islandCounty = assignIslandsToCounties(islands, anchors, overrides);
  islandCounty.set(ZHOUSHAN_ISLAND_ID, DINGHAI); // recorded for the islands file; its land is shared (see below)
  const zhoushanIslands = land.features.filter((f) => islandCounty.get(f.properties.id) !== null);
  const islandTownship = new Map(KNOWN_ISLANDS.filter((k) => k.township).map((k) => [k.id, k.township!]));

  // pieces are densified and rounded once, so townships are cut from the very outline their county has
  const countyPieces = new Map<string, { polygon: Polygon; islandId: number }[]>(counties.map((c) => [c.code, []]));
  const addPiece = (county: string, area: Area, islandId: number) => {
    for (const polygon of polygonsOf(roundArea(densify(area, EDGE_KM)))) countyPieces.get(county)!.push({ polygon, islandId });
  };
  for (const f of zhoushanIslands) {
    if (f.properties.id !== ZHOUSHAN_ISLAND_ID) addPiece(islandCounty.get(f.properties.id)!, f.geometry, f.properties.id);
  }
  addPiece(DINGHAI, halves.west, ZHOUSHAN_ISLAND_ID);
  addPiece(PUTUO, halves.east, ZHOUSHAN_ISLAND_ID);

  // 2. Townships: Voronoi of the hand-set seeds on shared islands, known islands to their town, the rest to the nearest seed.
  const geometry = new Map<string, MultiPolygon>();
  const seedOf = new Map<string, Position>();
  for (const county of counties) {
    const pieces = countyPieces.get(county.code)!;
    geometry.set(county.code, multiPolygonOf(pieces.map((p) => p.polygon)));
    const countyLand = multiPolygonOf(pieces.filter((p) => !islandTownship.has(p.islandId)).map((p) => p.polygon));
    // a seed goes on the shared land unless one of the township's own islands is nearer to the table position
    const seeds = childrenOf(county.code).map((t) => {
      const wanted = TOWNSHIP_SEEDS[t.code];
      const own = KNOWN_ISLANDS.filter((k) => k.township === t.code).map((k) => landById.get(k.id)!.geometry);
      const nearestOwn = own.sort((a, b) => pointToAreaKm(wanted, a) - pointToAreaKm(wanted, b))[0];
      const onOwn = nearestOwn && (countyLand.coordinates.length === 0 || pointToAreaKm(wanted, nearestOwn) < pointToAreaKm(wanted, countyLand));
      return { key: t.code, point: placeOnLand(wanted, onOwn ? nearestOwn : countyLand) };
    });
    for (const s of seeds) seedOf.set(s.key, s.point);
    const landPieces: LandPiece[] = pieces.map((p) => ({ polygon: p.polygon, key: islandTownship.get(p.islandId) }));
    const parts = partitionBySeeds(landPieces, seeds);
    for (const t of childrenOf(county.code)) {
      const area = parts.get(t.code);
      if (!area) throw new Error(`township ${t.code} ${t.name} got no land: fix its seed`);
      geometry.set(t.code, roundArea(densify(area, EDGE_KM)));
    }
  }

  // 3. Villages: seeds in the township land (communities near the town centre), Voronoi clipped to the township.
  const villages = divisions.filter((d) => d.level === 'village');
  for (const township of divisions.filter((d) => d.level === 'township')) {
    const area = geometry.get(township.code)!;
    const members = childrenOf(township.code);
    const placed: { key: string; point: Position }[] = [];
    // villages are seeded on the township's larger land only: outlying islets join the nearest village whole
    const polygons = polygonsOf(area);
    const large = polygons.filter((p) => areaKm2(p) >= SMALL_ISLAND_KM2);
    const mainLand = multiPolygonOf(large.length > 0 ? large : [polygons.reduce((a, b) => (areaKm2(b) > areaKm2(a) ? b : a))]);
    const order = [...members].sort((a, b) => rank(a) - rank(b));
    for (const village of order) {
      const islandId = VILLAGE_ISLANDS[village.code];
      const island = islandId === undefined ? undefined : landById.get(islandId)!.geometry;
      const onIsland = island !== undefined && containsPoint(area, turf.pointOnFeature(island).geometry.coordinates);
      if (islandId !== undefined && !onIsland) console.warn(`village ${village.name}: island ${islandId} is not in ${township.name}`);
      const candidate = () => {
        if (onIsland) return randomPointIn(island!, random);
        if (villageKind(village.code) === 'community') return randomPointNear(seedOf.get(township.code)!, isStreet(township) ? 1.3 : 0.7, mainLand, random);
        return randomPointIn(mainLand, random);
      };
      // best of several candidates: the one farthest from seeds already placed, so villages spread out
      let best = candidate();
      let bestGap = gapTo(best, placed);
      for (let i = 0; i < 7; i++) {
        const c = candidate();
        const gap = gapTo(c, placed);
        if (gap > bestGap) [best, bestGap] = [c, gap];
      }
      placed.push({ key: village.code, point: best });
    }
    const cells = partitionBySeeds(polygonsOf(area).map((polygon) => ({ polygon })), placed);
    for (const village of members) {
      const cell = cells.get(village.code);
      const rounded = cell && roundArea(densify(cell, EDGE_KM));
      if (!rounded || rounded.coordinates.length === 0) throw new Error(`village ${village.code} ${village.name} got no land`);
      geometry.set(village.code, rounded);
    }
  }
  function rank(v: Division): number {
    if (VILLAGE_ISLANDS[v.code] !== undefined) return 0;
    return villageKind(v.code) === 'community' ? 1 : 2;
  }
  function gapTo(point: Position, placed: readonly { point: Position }[]): number {
    return placed.length === 0 ? Infinity : Math.min(...placed.map((p) => distanceKm(p.point, point)));
  }

  // 4. Households: per-village targets scaled to the city total; small islands get a fixed, mostly tiny share.
  const targets = new Map(villages.map((v) => [v.code, householdTarget(villageKind(v.code), isStreet(byCode.get(v.parentCode)!), random)]));
  for (const county of counties) {
    const prefix = county.code.slice(0, 6);
    const own = [...targets].filter(([code]) => code.startsWith(prefix));
    const scale = (TARGET_HOUSEHOLDS * COUNTY_SHARE[county.code]) / own.reduce((a, [, t]) => a + t, 0);
    for (const [code, t] of own) targets.set(code, Math.round(t * scale));
  }

  const islandArea = new Map(zhoushanIslands.map((f) => [f.properties.id, areaKm2(f.geometry)]));
  const smallIslands = zhoushanIslands.filter((f) => islandArea.get(f.properties.id)! < SMALL_ISLAND_KM2).map((f) => f.properties.id);
  const inhabitedSmall = new Set(smallIslands.filter(() => random() < 0.3));
  for (const id of [...smallIslands].sort((a, b) => islandArea.get(b)! - islandArea.get(a)!)) {
    if (inhabitedSmall.size >= 10) break;
    inhabitedSmall.add(id);
  }
  const smallIslandHouseholds = new Map(
    smallIslands.map((id) => [id, inhabitedSmall.has(id) ? randomInt(random, 22, 105) : random() < 0.4 ? 0 : randomInt(random, 1, 15)]),
  );

  interface VillagePart {
    village: string;
    polygon: Polygon;
    islandId: number;
    areaKm2: number;
  }
  const villageParts = villages.flatMap((v) =>
    polygonsOf(geometry.get(v.code)!).map((polygon): VillagePart => {
      const probe = randomPointIn(polygon, random);
      const island = zhoushanIslands.find((f) => containsPoint(f.geometry, probe));
      if (!island) throw new Error(`village ${v.code}: a part lies off every island`);
      return { village: v.code, polygon, islandId: island.properties.id, areaKm2: areaKm2(polygon) };
    }),
  );
  const partHouseholds = new Map<VillagePart, number>();
  for (const id of smallIslands) {
    const parts = villageParts.filter((p) => p.islandId === id);
    const shares = allocateIntegers(smallIslandHouseholds.get(id)!, parts.map((p) => p.areaKm2));
    parts.forEach((p, i) => partHouseholds.set(p, shares[i]));
  }
  const points: (HouseholdPoint & { village: string; islandId: number })[] = [];
  const ratio = new Map(villages.map((v) => [v.code, 2.45 + 0.3 * random()]));
  for (const v of villages) {
    const parts = villageParts.filter((p) => p.village === v.code);
    const fixed = parts.filter((p) => partHouseholds.has(p));
    const rest = Math.max(0, targets.get(v.code)! - fixed.reduce((a, p) => a + partHouseholds.get(p)!, 0));
    const open = parts.filter((p) => !partHouseholds.has(p));
    const receivers = open.length > 0 ? open : [parts.reduce((a, b) => (b.areaKm2 > a.areaKm2 ? b : a))];
    const shares = allocateIntegers(rest, receivers.map((p) => p.areaKm2));
    receivers.forEach((p, i) => partHouseholds.set(p, (partHouseholds.get(p) ?? 0) + shares[i]));
    const street = isStreet(byCode.get(v.parentCode)!);
    const pattern = villageKind(v.code) === 'community' || (street && villageKind(v.code) === 'special') ? URBAN_PATTERN : RURAL_PATTERN;
    for (const p of parts) {
      for (const hp of householdPoints(p.polygon, partHouseholds.get(p)!, pattern, random)) {
        points.push({ ...hp, village: v.code, islandId: p.islandId });
      }
    }
  }

  // 5. Sums up the hierarchy.
  const households = new Map<string, number>();
  const population = new Map<string, number>();
  for (const p of points) households.set(p.village, (households.get(p.village) ?? 0) + p.households);
  for (const v of villages) {
    if (!households.get(v.code)) throw new Error(`village ${v.code} has no households`);
    population.set(v.code, Math.round(households.get(v.code)! * ratio.get(v.code)!));
  }
  for (const level of ['township', 'county'] as const) {
    for (const d of divisions.filter((x) => x.level === level)) {
      const kids = childrenOf(d.code);
      households.set(d.code, kids.reduce((a, k) => a + households.get(k.code)!, 0));
      population.set(d.code, kids.reduce((a, k) => a + population.get(k.code)!, 0));
    }
  }

  // 6. Grids of one urban township.
  const gridsOf = new Map(
    childrenOf(GRID_TOWNSHIP).map((v) => [v.code, gridsForVillage(geometry.get(v.code)!, pointsOf(v.code), random).map((g) => g.geometry)]),
  );

  // 7. Every shared boundary (neighbours, parent and child, at every level) gets the same vertices.
  const noded = nodeBoundaries([...geometry.values(), ...[...gridsOf.values()].flat()], NODING_TOLERANCE_DEG);
  [...geometry.keys()].forEach((code, i) => geometry.set(code, noded[i]));
  let next = geometry.size;
  for (const [code, grids] of gridsOf) gridsOf.set(code, grids.map(() => noded[next++]));
  const strays = points.filter((p) => !containsPoint(geometry.get(p.village)!, p.point));
  if (strays.length > 0) throw new Error(`${strays.length} household points left their village when boundaries were noded`);

  const gridFeatures: Feature<MultiPolygon>[] = [];
  for (const [code, grids] of gridsOf) {
    const v = byCode.get(code)!;
    const short = v.name.replace(/(居委会|委会)$/, '').replace(/村村$/, '村');
    const counts = householdsPerGrid(grids, pointsOf(code));
    grids.forEach((grid, i) =>
      gridFeatures.push({
        type: 'Feature',
        properties: {
          name: `${short}第${i + 1}网格`,
          kind: 'comprehensive',
          subkind: villageKind(code) === 'village' ? 'village' : 'community',
          divisionCode: code,
          households: counts[i],
          population: Math.round(counts[i] * ratio.get(code)!),
          synthetic: true,
        },
        geometry: rfc7946(grid),
      }),
    );
  }
  function pointsOf(village: string): HouseholdPoint[] {
    return points.filter((p) => p.village === village);
  }

  // 8. Files.
  const divisionFeatures = divisions
    .filter((d) => d.level !== 'city')
    .map((d): Feature<MultiPolygon> => ({
      type: 'Feature',
      properties: {
        code: d.code,
        name: d.name,
        level: d.level,
        parentCode: d.parentCode,
        households: households.get(d.code)!,
        population: population.get(d.code)!,
        synthetic: true,
      },
      geometry: rfc7946(geometry.get(d.code)!),
    }));
  const residents = new Map<number, number>();
  for (const p of points) residents.set(p.islandId, (residents.get(p.islandId) ?? 0) + p.households * ratio.get(p.village)!);
  const islandFeatures = zhoushanIslands.map((f): Feature<MultiPolygon> => ({
    type: 'Feature',
    properties: {
      id: f.properties.id,
      name: f.properties.name_hint ? f.properties.name_hint.split(' (')[0] : null,
      residents: Math.round(residents.get(f.properties.id) ?? 0),
      countyCode: f.properties.id === ZHOUSHAN_ISLAND_ID ? DINGHAI : islandCounty.get(f.properties.id)!,
      areaKm2: Math.round(islandArea.get(f.properties.id)! * 1000) / 1000,
      synthetic: true,
    },
    geometry: rfc7946(roundArea(f.geometry)),
  }));
  const writeJson = (name: string, features: Feature[]) =>
    writeFileSync(geodata(name), `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`);
  writeJson('zhoushan-divisions-synthetic.geojson', divisionFeatures);
  writeJson('zhoushan-islands.geojson', islandFeatures);
  writeJson('zhoushan-grids-filed.geojson', gridFeatures);
  writeFileSync(
    geodata('zhoushan-households.csv'),
    `lon,lat,households,villageCode\n${points.map((p) => `${p.point[0]},${p.point[1]},${p.households},${p.village}`).join('\n')}\n`,
  );

  const inBand = gridFeatures.filter((g) => {
    const h = g.properties!.households as number;
    return h >= 300 && h <= 500;
  }).length;
  console.log(
    JSON.stringify({
      seconds: (Date.now() - started) / 1000,
      islands: islandFeatures.length,
      households: counties.reduce((a, c) => a + households.get(c.code)!, 0),
      points: points.length,
      counties: Object.fromEntries(counties.map((c) => [c.name, households.get(c.code)])),
      smallInhabited: islandFeatures.filter((f) => (f.properties!.areaKm2 as number) < 2 && (f.properties!.residents as number) >= 50).length,
      grids: gridFeatures.length,
      gridsInBand: inBand,
    }),
  );
}

main();
