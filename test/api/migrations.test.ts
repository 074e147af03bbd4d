// Migrations run up and down unchanged on both backends, and the demo seed is idempotent.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownAll, migrateToLatest, openDatabase, type Database } from '../../server/db/database.ts';
import { seedZhoushanDemo } from '../../db/seeds/zhoushan.ts';
import { migrationSource } from '../../db/migrations/index.ts';
import { BACKENDS, createScratchDatabase } from '../support/service.ts';

const TABLES = [
  'divisions', 'grid_codes', 'grids', 'grid_staff', 'grid_lineage', 'islands', 'household_counts',
  'vessels', 'vessel_positions', 'formation_members', 'users', 'api_keys', 'plans', 'plan_grids', 'filings', 'jobs', 'audit_log',
];

async function tablesOf(db: Database): Promise<string[]> {
  const result = await db.knex.raw(`select table_name from information_schema.tables where table_schema = 'public'`);
  return result.rows.map((r: { table_name: string }) => r.table_name);
}

describe.each(BACKENDS)('migrations on %s', (backend) => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const scratch = backend === 'postgresql' ? await createScratchDatabase() : null;
    drop = scratch?.drop;
    db = await openDatabase({ databaseUrl: scratch?.url ?? null, embeddedDir: null });
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('migrates up, down and up again', async () => {
    await migrateToLatest(db.knex);
    expect(await tablesOf(db)).toEqual(expect.arrayContaining(TABLES));
    await migrateDownAll(db.knex);
    const after = await tablesOf(db);
    for (const table of TABLES) expect(after).not.toContain(table);
    await migrateToLatest(db.knex);
    expect(await tablesOf(db)).toEqual(expect.arrayContaining(TABLES));
  });

  it('keeps the audit log append-only', async () => {
    await db.knex('audit_log').insert({ actor: 'test', action: 'probe', entity: 'test', entity_id: '1' });
    await expect(db.knex('audit_log').update({ actor: 'someone else' })).rejects.toThrow(/append-only/);
    await expect(db.knex('audit_log').delete()).rejects.toThrow(/append-only/);
  });

  it('seeds the demo once; a second run changes nothing', async () => {
    const messages: string[] = [];
    expect(await seedZhoushanDemo(db.knex, (m) => messages.push(m))).toEqual({ skipped: false });
    expect(messages.some((m) => /household counts .*\(100%\)/.test(m))).toBe(true);
    const count = async () => Number((await db.knex('household_counts').count({ n: '*' }))[0].n);
    const before = await count();
    expect(await seedZhoushanDemo(db.knex, () => {})).toEqual({ skipped: true });
    expect(await count()).toBe(before);
  });

  it('records, for versions closed before 011, the filing that closed them: the successor version\'s, or the one at retirement', async () => {
    const knex = db.knex;
    await knex.migrate.down({ migrationSource, name: '011_grid_closed_by' });
    const township = '330903995000';
    const village = '330903995001';
    const square = JSON.stringify({ type: 'Polygon', coordinates: [[[122.9, 30.3], [122.91, 30.3], [122.91, 30.31], [122.9, 30.31], [122.9, 30.3]]] });
    await knex.raw(
      `INSERT INTO divisions (code, name, level, parent_code, synthetic, geom) VALUES
       (?, '迁移街道', 'township', '330903000000', true, ST_Multi(ST_GeomFromGeoJSON(?))), (?, '迁移村', 'village', ?, true, ST_Multi(ST_GeomFromGeoJSON(?)))`,
      [township, square, village, township, square],
    );
    // Two filings of the township on one day: the second reshapes X and retires Y.
    const [first, second] = [new Date('2026-05-01T01:00:00Z'), new Date('2026-05-01T02:00:00Z')];
    const seq = Number((await knex('filings').max({ n: 'chain_seq' }))[0].n ?? 0);
    for (const [i, filedAt] of [first, second].entries()) {
      await knex('filings').insert({
        number: `BA2026-9000${i + 1}`, chain_seq: seq + i + 1, township_code: township, scope: 'land', filed_at: filedAt, filed_by: 'test', trigger: 'other',
        snapshot: '{}', snapshot_sha256: 'x', previous_sha256: null,
      });
    }
    const [x, y] = [`${village}001`, `${village}002`];
    await knex('grid_codes').insert([x, y].map((code) => ({ code, division_code: village, kind: 'comprehensive' })));
    await knex('grid_codes').where({ code: y }).update({ status: 'retired', retired_at: second });
    const version = (code: string, v: number, filing: string, validTo: string | null) =>
      knex.raw(
        `INSERT INTO grids (code, version, name, kind, division_code, valid_from, valid_to, filing_number, geom) VALUES (?, ?, 'g', 'comprehensive', ?, '2026-05-01', ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))`,
        [code, v, village, validTo, filing, square],
      );
    await version(x, 1, 'BA2026-90001', '2026-05-01');
    await version(x, 2, 'BA2026-90002', null);
    await version(y, 1, 'BA2026-90001', '2026-05-01');

    await migrateToLatest(knex);
    const closedBy = await knex('grids').select('code', 'version', 'closed_by').whereIn('code', [x, y]).orderBy(['code', 'version']);
    expect(closedBy).toEqual([
      { code: x, version: 1, closed_by: 'BA2026-90002' },
      { code: x, version: 2, closed_by: null },
      { code: y, version: 1, closed_by: 'BA2026-90002' },
    ]);
  });
});

describe('start-up failures', () => {
  const run = async (env: Record<string, string>) => {
    const { execFile } = await import('node:child_process');
    return new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        path.resolve('node_modules/.bin/tsx'),
        ['server/main.ts'],
        { env: { ...process.env, ...env }, timeout: 60_000 },
        (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      );
    });
  };

  it('explains an unreachable database in one line and exits non-zero', async () => {
    const { code, stderr } = await run({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0' });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/database unavailable: cannot connect to postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
  });

  it('explains a bad configuration value and exits non-zero', async () => {
    const { code, stderr } = await run({ PORT: 'eighty', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe('wangge: configuration error: PORT: "eighty" is not a TCP port (0–65535)');
  });

  it('names an unknown rule set and the ones there are', async () => {
    const { code, stderr } = await run({ RULE_SET: 'atlantis', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe('wangge: configuration error: RULE_SET: "atlantis" is not one of gansu, zhoushan');
  });
});
