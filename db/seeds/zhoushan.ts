// Loads the Zhoushan demo (real division codes and island shapes; synthetic boundaries and counts) from geodata/.
// Idempotent: a marker row in app_meta says the demo is in, and everything is written in one transaction.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export const GEODATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../geodata');
const SEED_MARKER = 'demo_seed';
const SEED_VERSION = 1;
const CHUNK = 2_000;

export type SeedLog = (message: string) => void;

interface DivisionRecord {
  code: string;
  name: string;
  level: string;
  parent_code: string;
}

interface SyntheticDivisionProps {
  code: string;
  households: number;
  population: number;
}

interface IslandProps {
  id: number;
  name: string | null;
  residents: number;
  countyCode: string | null;
  areaKm2: number;
}

async function readCsv(file: string): Promise<Record<string, string>[]> {
  const [header, ...lines] = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])));
}

async function readGeoJson<P>(file: string): Promise<FeatureCollection<Polygon | MultiPolygon, P>> {
  return JSON.parse(await readFile(file, 'utf8'));
}

export async function isDemoSeeded(knex: Knex): Promise<boolean> {
  return (await knex('app_meta').where({ key: SEED_MARKER }).first()) !== undefined;
}

export async function seedZhoushanDemo(knex: Knex, log: SeedLog, geodataDir = GEODATA_DIR): Promise<{ skipped: boolean }> {
  if (await isDemoSeeded(knex)) return { skipped: true };
  const divisions = (await readCsv(path.join(geodataDir, 'zhoushan-divisions.csv'))) as unknown as DivisionRecord[];
  const boundaries = await readGeoJson<SyntheticDivisionProps>(path.join(geodataDir, 'zhoushan-divisions-synthetic.geojson'));
  const islands = await readGeoJson<IslandProps>(path.join(geodataDir, 'zhoushan-islands.geojson'));
  const households = await readCsv(path.join(geodataDir, 'zhoushan-households.csv'));

  await knex.transaction(async (trx) => {
    await insertDivisions(trx, divisions, boundaries, log);
    await insertIslands(trx, islands, log);
    await insertHouseholds(trx, households, log);
    await trx('app_meta').insert({ key: SEED_MARKER, value: JSON.stringify({ version: SEED_VERSION, at: new Date().toISOString() }) });
  });
  return { skipped: false };
}

async function insertDivisions(
  trx: Knex.Transaction,
  divisions: DivisionRecord[],
  boundaries: FeatureCollection<Polygon | MultiPolygon, SyntheticDivisionProps>,
  log: SeedLog,
): Promise<void> {
  const byCode = new Map(boundaries.features.map((f) => [f.properties.code, f]));
  const known = new Set(divisions.map((d) => d.code));
  for (const [i, d] of divisions.entries()) {
    const boundary = byCode.get(d.code);
    await trx.raw(
      `INSERT INTO divisions (code, name, level, parent_code, households, population, synthetic, geom)
       VALUES (?, ?, ?, ?, ?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))`,
      [
        d.code,
        d.name,
        d.level,
        known.has(d.parent_code) ? d.parent_code : null,
        boundary?.properties.households ?? 0,
        boundary?.properties.population ?? 0,
        boundary !== undefined,
        boundary ? JSON.stringify(boundary.geometry) : null,
      ],
    );
    if ((i + 1) % 100 === 0 || i === divisions.length - 1) log(`divisions ${i + 1}/${divisions.length}`);
  }
  // The city is its counties; its figures are their sums.
  await trx.raw(`
    UPDATE divisions city SET
      geom = (SELECT ST_Multi(ST_Union(geom)) FROM divisions c WHERE c.parent_code = city.code AND c.geom IS NOT NULL),
      households = (SELECT coalesce(sum(households), 0) FROM divisions c WHERE c.parent_code = city.code),
      population = (SELECT coalesce(sum(population), 0) FROM divisions c WHERE c.parent_code = city.code),
      synthetic = true
    WHERE city.level = 'city'`);
}

async function insertIslands(
  trx: Knex.Transaction,
  islands: FeatureCollection<Polygon | MultiPolygon, IslandProps>,
  log: SeedLog,
): Promise<void> {
  for (const f of islands.features) {
    const p = f.properties;
    await trx.raw(
      `INSERT INTO islands (id, name, residents, county_code, area_km2, synthetic, geom)
       VALUES (?, ?, ?, ?, ?, true, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))`,
      [p.id, p.name, p.residents, p.countyCode, p.areaKm2, JSON.stringify(f.geometry)],
    );
  }
  log(`islands ${islands.features.length}`);
}

async function insertHouseholds(trx: Knex.Transaction, rows: Record<string, string>[], log: SeedLog): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await trx.raw(
      `INSERT INTO household_counts (village_code, households, source, geom)
       SELECT v, h, 'synthetic', ST_SetSRID(ST_MakePoint(x, y), 4326)
       FROM unnest(?::text[], ?::int[], ?::float8[], ?::float8[]) AS t(v, h, x, y)`,
      [chunk.map((r) => r.villageCode), chunk.map((r) => Number(r.households)), chunk.map((r) => Number(r.lon)), chunk.map((r) => Number(r.lat))],
    );
    const done = Math.min(start + CHUNK, rows.length);
    log(`household counts ${done}/${rows.length} (${Math.round((100 * done) / rows.length)}%)`);
  }
}
