// Migration 012_staff_roster keeps the staff recorded before it, on both backends: rows hanging off grid versions
// become assignments per grid code with the version's dates, and the old roles map as docs/staff.md says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationSource } from '../../db/migrations/index.ts';
import { migrateToLatest, openDatabase, type Database } from '../../server/db/database.ts';
import { BACKENDS, createScratchDatabase } from '../support/service.ts';

const VILLAGE = '330903001001';
const GRID = '330903001001001';
const MICRO = '33090300100100101';
const SQUARE = JSON.stringify({ type: 'Polygon', coordinates: [[[122.3, 29.9], [122.31, 29.9], [122.31, 29.91], [122.3, 29.91], [122.3, 29.9]]] });
const STAFF_MIGRATION = { migrationSource, name: '012_staff_roster' };

describe.each(BACKENDS)('staff roster migration on %s', (backend) => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const scratch = backend === 'postgresql' ? await createScratchDatabase() : null;
    drop = scratch?.drop;
    db = await openDatabase({ databaseUrl: scratch?.url ?? null, embeddedDir: null });
    await migrateToLatest(db.knex);
    await db.knex.migrate.down(STAFF_MIGRATION);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('maps old roles and gives each row the code and dates of its grid version; rolling back restores them', async () => {
    const knex = db.knex;
    await knex('divisions').insert({ code: VILLAGE, name: '测试村', level: 'village' });
    await knex('grid_codes').insert([{ code: GRID, division_code: VILLAGE, kind: 'comprehensive' }, { code: MICRO, division_code: VILLAGE, kind: 'comprehensive' }]);
    const grid = (version: number, code: string, from: string, to: string | null, parent: string | null = null) => ({
      code, version, name: code, kind: 'comprehensive', division_code: VILLAGE, parent_code: parent, valid_from: from, valid_to: to,
      geom: knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [SQUARE]),
    });
    const [v1] = await knex('grids').insert(grid(1, GRID, '2024-01-15', '2024-06-01')).returning('id');
    const [v2] = await knex('grids').insert(grid(2, GRID, '2024-06-01', null)).returning('id');
    const [micro] = await knex('grids').insert(grid(1, MICRO, '2024-01-15', null, GRID)).returning('id');
    await knex('grid_staff').insert([
      { grid_id: v1.id, role: 'leader', name: '老组长', phone: '13900000001', full_time: false },
      { grid_id: v2.id, role: 'leader', name: '新组长', phone: '13900000002', full_time: false },
      { grid_id: v2.id, role: 'worker', name: '专职', phone: '13900000003', full_time: true },
      { grid_id: v2.id, role: 'worker', name: '兼职', phone: null, full_time: false },
      { grid_id: v2.id, role: 'info_officer', name: '信息员', phone: null, full_time: false },
      { grid_id: micro.id, role: 'info_officer', name: '联络员', phone: '13900000004', full_time: false },
    ]);
    await knex('divisions').insert({ code: '330903001000', name: '测试街道', level: 'township' });
    const [plan] = await knex('plans').insert({ township_code: '330903001000', trigger: 'initial' }).returning('id');
    await knex('plan_grids').insert({
      plan_id: plan.id, name: '草案', kind: 'comprehensive', division_code: VILLAGE,
      staff: JSON.stringify([{ role: 'leader', name: '甲', phone: '13900000005' }, { role: 'worker', name: '乙', fullTime: true }, { role: 'worker', name: '丙' }]),
      geom: knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [SQUARE]),
    });

    await knex.migrate.up(STAFF_MIGRATION);
    const rows = await knex('grid_staff').select('grid_code', 'role', 'name', 'phone', 'valid_from', 'valid_to').orderBy('id');
    expect(rows).toEqual([
      { grid_code: GRID, role: 'leader', name: '老组长', phone: '13900000001', valid_from: '2024-01-15', valid_to: '2024-06-01' },
      { grid_code: GRID, role: 'leader', name: '新组长', phone: '13900000002', valid_from: '2024-06-01', valid_to: null },
      { grid_code: GRID, role: 'full_time', name: '专职', phone: '13900000003', valid_from: '2024-06-01', valid_to: null },
      { grid_code: GRID, role: 'part_time', name: '兼职', phone: null, valid_from: '2024-06-01', valid_to: null },
      { grid_code: GRID, role: 'part_time', name: '信息员', phone: null, valid_from: '2024-06-01', valid_to: null },
      { grid_code: MICRO, role: 'micro_liaison', name: '联络员', phone: '13900000004', valid_from: '2024-01-15', valid_to: null },
    ]);
    const planStaff = (await knex('plan_grids').select('staff', 'staff_edited').first());
    expect(planStaff).toEqual({
      staff: [{ role: 'leader', name: '甲', phone: '13900000005' }, { role: 'full_time', name: '乙' }, { role: 'part_time', name: '丙' }],
      staff_edited: false,
    });
    await expect(knex('grid_staff').insert({ grid_code: GRID, role: 'worker', name: '旧角色', valid_from: '2025-01-01' })).rejects.toThrow(/grid_staff_role_check/);
    await expect(knex('grid_staff').insert({ grid_code: GRID, role: 'leader', name: '倒序', valid_from: '2025-01-01', valid_to: '2024-01-01' })).rejects.toThrow(/grid_staff_validity_check/);

    await knex.migrate.down(STAFF_MIGRATION);
    const back = await knex('grid_staff').select('grid_id', 'role', 'name', 'full_time').orderBy('id');
    expect(back.map((r: { grid_id: string | number; role: string; name: string; full_time: boolean }) => [String(r.grid_id), r.role, r.name, r.full_time])).toEqual([
      [String(v1.id), 'leader', '老组长', false],
      [String(v2.id), 'leader', '新组长', false],
      [String(v2.id), 'worker', '专职', true],
      [String(v2.id), 'worker', '兼职', false],
      [String(v2.id), 'worker', '信息员', false],
      [String(micro.id), 'info_officer', '联络员', false],
    ]);
    expect((await knex('plan_grids').select('staff').first()).staff).toEqual([
      { role: 'leader', name: '甲', phone: '13900000005', fullTime: false },
      { role: 'worker', name: '乙', fullTime: true },
      { role: 'worker', name: '丙', fullTime: false },
    ]);
  });
});
