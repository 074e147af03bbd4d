// `npm run import` against a real PostgreSQL + PostGIS holding the demo: a GeoPackage exported by the API is imported
// into a new draft plan of the township; files that cannot be imported exit 1 naming the fault and leave no plan
// behind; 3D features are refused unless --drop-z; a GeoPackage of several feature tables needs --layer. (The CLI
// opens its own connection, so it needs a database another process can reach: PostgreSQL only.)
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';
import { fixture } from '../unit/formats/support.ts';

const run = promisify(execFile);
const TOWNSHIP = '330903001000';

describe.runIf(BACKENDS.includes('postgresql'))('import CLI on postgresql', () => {
  let service: TestService;
  let dir: string;

  async function importCli(file: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env, DATABASE_URL: service.config.databaseUrl!, LOG_LEVEL: 'silent' };
    try {
      const { stdout, stderr } = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/import.ts', file, '--division', TOWNSHIP, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }
  const plans = async () => Number((await service.db.knex('plans').count({ n: '*' }))[0].n);

  beforeAll(async () => {
    service = await startTestService('postgresql');
    dir = await mkdtemp(path.join(tmpdir(), 'wangge-import-cli-'));
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports a GeoPackage export of the filed township into a new draft plan', { timeout: 60_000 }, async () => {
    const exported = await service.app.inject({ method: 'GET', url: `/v1/grids/export?division=${TOWNSHIP}&format=geopackage`, headers: { authorization: 'Bearer demo-registrar' } });
    expect(exported.statusCode).toBe(200);
    const file = path.join(dir, 'shenjiamen.gpkg');
    await writeFile(file, exported.rawPayload);
    const filed = Number(exported.headers['x-feature-count']);

    const { code, stdout, stderr } = await importCli(file);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`geopackage shenjiamen.gpkg → plan`);
    const report = JSON.parse(stdout);
    expect(report.imported).toBe(filed);
    const planGrids = await service.app.inject({ method: 'GET', url: `/v1/plans/${report.planId}/grids`, headers: { authorization: 'Bearer demo-planner' } });
    const codes = planGrids.json().features.map((f: { properties: { code: string } }) => f.properties.code).sort();
    const filedCodes = await service.db.knex('grids').whereNull('valid_to').where('division_code', 'like', `${TOWNSHIP.slice(0, 9)}%`).pluck('code');
    expect(codes).toEqual(filedCodes.sort());
  });

  it.each([
    ['not-a-gpkg.gpkg', new TextEncoder().encode('{"type":"FeatureCollection"}'), /not-a-geopackage/, []],
    ['mixed-geometry.gpkg', fixture('mixed-geometry.gpkg'), /\/features\/1\/geometry\/type: .*Point/, []],
    ['beijing1954.gpkg', fixture('beijing1954.gpkg'), /unknown-crs: .*EPSG:4214/, []],
    ['three-d.gpkg', fixture('three-d.gpkg'), /\/features\/0\/geometry\/coordinates\/0\/0: 3D coordinates are not accepted: .*--drop-z/, []],
    ['several-tables.gpkg', fixture('grids-villages-roads.gpkg'), /several-layers: .*grids \(GEOMETRY\), villages \(POLYGON\), roads \(LINESTRING\); .*--layer <table_name>/, []],
    ['no-rivers.gpkg', fixture('grids-villages-roads.gpkg'), /unknown-layer: the GeoPackage has no table "rivers"/, ['--layer', 'rivers']],
    ['layer-of-geojson.geojson', fixture('two-grids.geojson'), /invalid-parameter: only a GeoPackage has layers/, ['--layer', 'grids']],
  ] as Array<[string, Uint8Array, RegExp, string[]]>)('exits 1 on %s naming the fault, and creates no plan', { timeout: 60_000 }, async (name, bytes, fault, args) => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    const before = await plans();
    const { code, stdout, stderr } = await importCli(file, ...args);
    expect(code).toBe(1);
    expect(stderr).toMatch(fault);
    expect(stdout).toBe('');
    expect(await plans()).toBe(before);
  });

  it('imports 3D features flat with --drop-z, a note on each', { timeout: 60_000 }, async () => {
    const file = path.join(dir, 'three-d.gpkg');
    await writeFile(file, fixture('three-d.gpkg'));
    const { code, stdout, stderr } = await importCli(file, '--drop-z');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.imported).toBe(1);
    expect(report.features[0].notes).toContain('Z (height) values dropped: grids are 2D');
  });

  it('imports the GeoPackage table --layer names', { timeout: 60_000 }, async () => {
    const file = path.join(dir, 'grids-villages-roads.gpkg');
    await writeFile(file, fixture('grids-villages-roads.gpkg'));
    const { code, stdout, stderr } = await importCli(file, '--layer', 'villages');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.imported).toBe(1);
    expect(report.features.map((f: { code: string; name: string }) => [f.code, f.name])).toEqual([['330903001002001', '沈家门村']]);
  });
});
