// Loads the Zhoushan demo (real division codes and island shapes; synthetic boundaries and counts) from geodata/.
// Idempotent: a marker row in app_meta says the demo is in, and everything is written in one transaction.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { filePartition } from '../../server/db/repositories/filings.ts';
import { codeProfile } from '../../server/domain/codes/index.ts';
import { seedMaritimeDemo } from './maritime.ts';
import type { GridKind, StaffMember } from '../../server/schemas/resources.ts';

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

interface FiledGridProps {
  name: string;
  kind: GridKind;
  subkind: string;
  divisionCode: string;
  households: number;
  population: number;
}

// The demo's filed partition of 沈家门街道 as it stood after its initial division.
const DEMO_FILING = { townshipCode: '330903001000', filedAt: new Date('2024-01-15T10:00:00+08:00') };

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
  const filedGrids = await readGeoJson<FiledGridProps>(path.join(geodataDir, 'zhoushan-grids-filed.geojson'));

  await knex.transaction(async (trx) => {
    await insertDivisions(trx, divisions, boundaries, log);
    await insertIslands(trx, islands, log);
    await insertHouseholds(trx, households, log);
    await fileDemoPartition(trx, filedGrids, log);
    await seedMaritimeDemo(trx, log);
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

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = ['海燕', '建国', '丽华', '志强', '秀英', '海波', '晓东', '静', '伟', '敏', '军', '芳', '磊', '洋', '艳', '勇'];

/** Synthetic staff, clearly fake (phone numbers in the 170-0000 test range), so notices have something to show. */
function demoStaff(index: number): StaffMember[] {
  const person = (k: number) => SURNAMES[(index * 7 + k * 13) % SURNAMES.length] + GIVEN[(index * 5 + k * 3) % GIVEN.length];
  const phone = (k: number) => `1700000${String((index * 3 + k) % 10_000).padStart(4, '0')}`;
  return [
    { role: 'leader', name: person(0), phone: phone(0) },
    { role: 'full_time', name: person(1), phone: phone(1) },
  ];
}

async function fileDemoPartition(trx: Knex.Transaction, grids: FeatureCollection<Polygon | MultiPolygon, FiledGridProps>, log: SeedLog) {
  const filing = await filePartition(trx, {
    townshipCode: DEMO_FILING.townshipCode,
    scope: 'land',
    grids: grids.features.map((f, i) => ({
      name: f.properties.name,
      kind: f.properties.kind,
      subkind: f.properties.subkind,
      divisionCode: f.properties.divisionCode,
      parentCode: null,
      households: f.properties.households,
      population: f.properties.population,
      managingUnits: [{ name: '沈家门街道办事处', role: 'territorial' }],
      staff: demoStaff(i),
      geometry: f.geometry,
      synthetic: true,
    })),
    filedAt: DEMO_FILING.filedAt,
    approvedBy: '普陀区网格化工作机构 (demo)',
    filedBy: '舟山市网格化工作机构 (demo)',
    trigger: 'initial',
    planId: null,
    profile: codeProfile('default'),
    continuityThreshold: 0.8,
  });
  log(`filed partition ${filing.number}: ${filing.codes.allocated.length} grids in 沈家门街道`);
}
