// Grid staff become a roster of their own: assignments per grid code with from/to dates, changed without refiling
// the partition, instead of rows hanging off one geometry version. Roles follow the regulations (网格长 leader,
// 专职网格员 full_time, 兼职网格员 part_time, 网格指导员 instructor, 微网格联络员 micro_liaison).
//
// Existing data is kept (docs/staff.md): each row takes the code and the validity of the grid version it belonged
// to; leader stays leader; worker becomes full_time or part_time by its full-time flag; info_officer becomes
// micro_liaison on a micro-grid, otherwise full_time or part_time by the flag as a worker would. Plans' staff
// (plan_grids.staff) are mapped the same way.
import type { Knex } from 'knex';

const ROLES = `('leader','full_time','part_time','instructor','micro_liaison')`;

/** The SQL mapping of an old role (with its full-time flag, on a grid with or without a parent) to a new one. */
const newRole = (role: string, fullTime: string, parentCode: string) =>
  `CASE WHEN ${role} = 'leader' THEN 'leader'
        WHEN ${role} = 'info_officer' AND ${parentCode} IS NOT NULL THEN 'micro_liaison'
        WHEN coalesce(${fullTime}, false) THEN 'full_time'
        ELSE 'part_time' END`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grid_staff', (t) => {
    t.string('grid_code', 17).nullable();
    t.date('valid_from').nullable();
    t.date('valid_to').nullable();
    t.dropChecks(['grid_staff_role_check']);
  });
  await knex.raw(
    `UPDATE grid_staff s SET grid_code = g.code, valid_from = g.valid_from, valid_to = g.valid_to,
            role = ${newRole('s.role', 's.full_time', 'g.parent_code')}
     FROM grids g WHERE g.id = s.grid_id`,
  );
  await knex.schema.alterTable('grid_staff', (t) => {
    t.dropForeign(['grid_id']);
    t.dropColumn('grid_id');
    t.dropColumn('full_time');
    t.string('grid_code', 17).notNullable().alter();
    t.date('valid_from').notNullable().alter();
    t.foreign('grid_code').references('grid_codes.code');
    t.index(['grid_code', 'valid_from']);
    t.check(`role in ${ROLES}`, [], 'grid_staff_role_check');
    // valid_to is exclusive, as for grid versions; equal to valid_from when replaced before it took effect.
    t.check('valid_to is null or valid_to >= valid_from', [], 'grid_staff_validity_check');
  });

  await knex.raw(
    `UPDATE plan_grids p SET staff = (
       SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'role', ${newRole(`e->>'role'`, `(e->>'fullTime')::boolean`, 'p.parent_code')}, 'name', e->>'name', 'phone', e->'phone')) ORDER BY n), '[]'::jsonb)
       FROM jsonb_array_elements(p.staff) WITH ORDINALITY AS x(e, n))
     WHERE jsonb_array_length(p.staff) > 0`,
  );
  // A plan grid's staff replace the grid's roster at filing only when the planner changed them in the plan.
  await knex.schema.alterTable('plan_grids', (t) => {
    t.boolean('staff_edited').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('plan_grids', (t) => {
    t.dropColumn('staff_edited');
  });
  const oldRole = (role: string) => `CASE ${role} WHEN 'leader' THEN 'leader' WHEN 'micro_liaison' THEN 'info_officer' ELSE 'worker' END`;
  await knex.raw(
    `UPDATE plan_grids SET staff = (
       SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'role', ${oldRole(`e->>'role'`)}, 'name', e->>'name', 'phone', e->'phone', 'fullTime', (e->>'role') = 'full_time')) ORDER BY n), '[]'::jsonb)
       FROM jsonb_array_elements(staff) WITH ORDINALITY AS x(e, n))
     WHERE jsonb_array_length(staff) > 0`,
  );
  await knex.schema.alterTable('grid_staff', (t) => {
    t.dropChecks(['grid_staff_role_check', 'grid_staff_validity_check']);
    t.bigInteger('grid_id').nullable();
    t.boolean('full_time').notNullable().defaultTo(false);
  });
  // Each assignment goes back to the grid version in force on its first day; assignments no version holds are dropped.
  await knex.raw(
    `UPDATE grid_staff s SET grid_id = g.id, full_time = (s.role = 'full_time'), role = ${oldRole('s.role')}
     FROM grids g WHERE g.code = s.grid_code AND g.valid_from <= s.valid_from AND (g.valid_to IS NULL OR g.valid_to > s.valid_from)`,
  );
  await knex('grid_staff').whereNull('grid_id').delete();
  await knex.schema.alterTable('grid_staff', (t) => {
    t.dropIndex(['grid_code', 'valid_from']);
    t.dropForeign(['grid_code']);
    t.dropColumn('grid_code');
    t.dropColumn('valid_from');
    t.dropColumn('valid_to');
    t.bigInteger('grid_id').notNullable().alter();
    t.foreign('grid_id').references('grids.id').onDelete('CASCADE');
    t.index(['grid_id']);
    t.check(`role in ('leader','worker','info_officer')`, [], 'grid_staff_role_check');
  });
}
