// Partition plans (划分方案) and their proposed grids. Every write checks and bumps the plan's version, so a
// stale editor gets 412 instead of overwriting someone else's change.
import type { Knex } from 'knex';
import type { LineString, MultiPolygon, Polygon } from 'geojson';
import type { PlanStatus, PlanTrigger } from '../../domain/plans/status.ts';
import type { Grid, RuleReport } from '../../schemas/resources.ts';
import { inForce } from './grids.ts';
import { chinaDate } from '../../domain/filings/snapshot.ts';
import { latestFilingNumber, type FilingGrid } from './filings.ts';
import type { PlanScope } from '../../schemas/plans.ts';

export interface PlanRecord {
  id: string;
  townshipCode: string;
  scope: PlanScope;
  trigger: PlanTrigger;
  triggerNote: string | null;
  description: string;
  status: PlanStatus;
  /** the township's latest filing (of this scope) when the plan was started; null if there was none */
  baseFiling: string | null;
  createdBy: string | null;
  report: (RuleReport & { justifications?: Record<string, string> }) | null;
  comments: PlanComment[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PlanComment {
  at: string;
  by: string;
  text: string;
  /** plan grid id or grid code the comment is about; absent for the whole plan */
  grid?: string;
}

/** A proposed grid as a plan stores it: a filing grid that may already carry a code (kept from the filing). */
export type PlanGridInput = FilingGrid & { code?: string | null };

export interface PlanGridFeature {
  type: 'Feature';
  id: string;
  properties: Omit<Grid, 'version' | 'validFrom' | 'validTo'> & { planGridId: string };
  geometry: Polygon | MultiPolygon;
}

/** The plan changed since the caller read it. */
export class StalePlan extends Error {
  constructor(readonly currentVersion: number) {
    super(`plan is at version ${currentVersion}`);
  }
}

const toPlan = (r: Record<string, any>): PlanRecord => ({
  id: String(r.id),
  townshipCode: r.township_code,
  scope: r.scope,
  trigger: r.trigger,
  triggerNote: r.trigger_note,
  description: r.description,
  status: r.status,
  baseFiling: r.base_filing,
  createdBy: r.created_by === null ? null : String(r.created_by),
  report: r.report,
  comments: r.comments,
  version: r.version,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function findPlan(knex: Knex, id: string): Promise<PlanRecord | null> {
  if (!/^\d+$/.test(id)) return null;
  const row = await knex('plans').where({ id }).first();
  return row ? toPlan(row) : null;
}

export async function listPlans(knex: Knex, filter: { prefix: string; status?: PlanStatus }): Promise<PlanRecord[]> {
  const query = knex('plans').where('township_code', 'like', `${filter.prefix}%`).orderBy('id', 'desc');
  if (filter.status) query.where('status', filter.status);
  return (await query).map(toPlan);
}

export async function createPlan(
  trx: Knex.Transaction,
  plan: { townshipCode: string; scope: PlanScope; trigger: PlanTrigger; triggerNote: string | null; description: string; createdBy: string | null },
  copyFiledWithPrefix: string | null,
): Promise<string> {
  const [{ id }] = await trx('plans')
    .insert({
      township_code: plan.townshipCode,
      scope: plan.scope,
      trigger: plan.trigger,
      trigger_note: plan.triggerNote,
      description: plan.description,
      created_by: plan.createdBy,
      base_filing: await latestFilingNumber(trx, plan.townshipCode, plan.scope),
    })
    .returning('id');
  if (copyFiledWithPrefix !== null) {
    // Start from the filed partition of the plan's scope, codes kept, with the staff rosters in force today.
    const today = chinaDate(new Date());
    await trx.raw(
      `INSERT INTO plan_grids (plan_id, code, name, kind, subkind, division_code, parent_code, households, population, managing_units, staff, geom)
       SELECT ?, g.code, g.name, g.kind, g.subkind, g.division_code, g.parent_code, g.households, g.population, g.managing_units,
              coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('role', s.role, 'name', s.name, 'phone', s.phone)) ORDER BY s.id)
                        FROM grid_staff s WHERE s.grid_code = g.code AND s.valid_from <= ?::date AND (s.valid_to IS NULL OR s.valid_to > ?::date)), '[]'::jsonb),
              g.geom
       FROM grids g WHERE g.valid_to IS NULL AND (g.kind = 'maritime') = ? AND g.division_code LIKE ? ORDER BY g.code`,
      [id, today, today, plan.scope === 'maritime', `${copyFiledWithPrefix}%`],
    );
  }
  return String(id);
}

/** Bumps the version if it is still `expected`; otherwise throws StalePlan. */
export async function claimVersion(trx: Knex.Transaction, id: string, expected: number): Promise<number> {
  const rows = await trx('plans').where({ id, version: expected }).update({ version: expected + 1, updated_at: trx.fn.now() }).returning('version');
  if (rows.length === 0) {
    const current = await trx('plans').select('version').where({ id }).first();
    throw new StalePlan(current?.version ?? -1);
  }
  return rows[0].version;
}

export async function updatePlanFields(
  trx: Knex.Transaction,
  id: string,
  fields: Partial<{ status: PlanStatus; report: PlanRecord['report']; comments: PlanComment[]; description: string; triggerNote: string | null }>,
): Promise<void> {
  const row: Record<string, unknown> = {};
  if (fields.status) row.status = fields.status;
  if (fields.report !== undefined) row.report = JSON.stringify(fields.report);
  if (fields.comments) row.comments = JSON.stringify(fields.comments);
  if (fields.description !== undefined) row.description = fields.description;
  if (fields.triggerNote !== undefined) row.trigger_note = fields.triggerNote;
  if (Object.keys(row).length) await trx('plans').where({ id }).update(row);
}

const GRID_COLUMNS = ['id', 'code', 'name', 'kind', 'subkind', 'division_code', 'parent_code', 'households', 'population', 'managing_units', 'staff'];

export async function planGrids(knex: Knex, planId: string): Promise<PlanGridFeature[]> {
  const rows = await knex('plan_grids').select(GRID_COLUMNS).select(knex.raw('ST_AsGeoJSON(geom, 7)::json as geometry')).where({ plan_id: planId }).orderBy('id');
  return rows.map((r) => ({
    type: 'Feature',
    id: String(r.id),
    geometry: r.geometry,
    properties: {
      planGridId: String(r.id),
      code: r.code,
      name: r.name,
      kind: r.kind,
      subkind: r.subkind,
      divisionCode: r.division_code,
      parentCode: r.parent_code,
      households: r.households,
      population: r.population,
      managingUnits: r.managing_units,
      staff: r.staff,
      status: 'proposed',
    },
  }));
}

function gridRow(trx: Knex.Transaction, grid: PlanGridInput) {
  const geometry = JSON.stringify(grid.geometry);
  return {
    code: grid.code ?? null,
    name: grid.name,
    kind: grid.kind,
    subkind: grid.subkind,
    division_code: grid.divisionCode,
    parent_code: grid.parentCode,
    // Households default to the stored counts inside the drawn polygon.
    households:
      grid.households ??
      trx.raw(`(SELECT coalesce(sum(households), 0) FROM household_counts WHERE ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), geom))`, [geometry]),
    population: grid.population ?? 0,
    managing_units: JSON.stringify(grid.managingUnits),
    staff: JSON.stringify(grid.staff),
    geom: trx.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [geometry]),
  };
}

export async function insertPlanGrids(trx: Knex.Transaction, planId: string, grids: PlanGridInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const grid of grids) {
    // Staff given with an added grid are put in force at filing; a grid added without any (imports, suggestions)
    // leaves the registered roster of a code it keeps as it is.
    const [{ id }] = await trx('plan_grids').insert({ plan_id: planId, ...gridRow(trx, grid), staff_edited: grid.staff.length > 0 }).returning('id');
    ids.push(String(id));
  }
  return ids;
}

/** Whether a grid of the plan carries `code` (a micro-grid's parent must). */
export async function planHasGridCode(knex: Knex, planId: string, code: string): Promise<boolean> {
  return (await knex('plan_grids').where({ plan_id: planId, code }).first('id')) !== undefined;
}

/** Replaces a plan grid; a change of its staff is remembered, so filing puts them in force (see keepRoster). */
export async function replacePlanGrid(trx: Knex.Transaction, planId: string, gridId: string, grid: PlanGridInput): Promise<boolean> {
  const row = gridRow(trx, grid);
  const staffEdited = trx.raw('staff_edited OR staff IS DISTINCT FROM ?::jsonb', [row.staff]);
  return (await trx('plan_grids').where({ plan_id: planId, id: gridId }).update({ ...row, staff_edited: staffEdited })) > 0;
}

/** Ids of the plan's grids whose staff the planner set or changed. */
export async function planGridsWithEditedStaff(knex: Knex, planId: string): Promise<Set<string>> {
  const rows = await knex('plan_grids').select('id').where({ plan_id: planId, staff_edited: true });
  return new Set(rows.map((r: { id: string | number }) => String(r.id)));
}

export async function deletePlanGrids(trx: Knex.Transaction, planId: string, gridIds: string[]): Promise<number> {
  return trx('plan_grids').where({ plan_id: planId }).whereIn('id', gridIds).delete();
}

/** The pieces of a plan grid cut by a line (PostGIS ST_Split), largest first; one piece means the line misses.
 * Rings come out counter-clockwise as RFC 7946 asks (GEOS builds them clockwise). */
export async function splitGeometry(knex: Knex, planId: string, gridId: string, line: LineString): Promise<Polygon[] | null> {
  if (!/^\d+$/.test(gridId)) return null;
  const result = await knex.raw(
    `SELECT ST_AsGeoJSON(ST_ForcePolygonCCW(d.geom), 7)::json AS geometry
     FROM plan_grids g, LATERAL ST_Dump(ST_Split(g.geom, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))) d
     WHERE g.plan_id = ? AND g.id = ? ORDER BY ST_Area(d.geom) DESC`,
    [JSON.stringify(line), planId, gridId],
  );
  return result.rows.length ? result.rows.map((r: { geometry: Polygon }) => r.geometry) : null;
}

/** The union of plan grids (PostGIS ST_Union), or null when one of them is missing. */
export async function mergedGeometry(knex: Knex, planId: string, gridIds: string[]): Promise<Polygon | MultiPolygon | null> {
  const result = await knex.raw(
    `SELECT count(*)::int AS n, ST_AsGeoJSON(ST_ForcePolygonCCW(ST_UnaryUnion(ST_Collect(geom))), 7)::json AS geometry FROM plan_grids WHERE plan_id = ? AND id = ANY(?::bigint[])`,
    [planId, gridIds],
  );
  const row = result.rows[0];
  return row.n === gridIds.length ? row.geometry : null;
}

export interface PlanDiffEntry {
  code: string | null;
  planGridId: string | null;
  name: string;
  change: 'added' | 'retired' | 'reshaped' | 'unchanged';
  areaM2Before: number | null;
  areaM2After: number | null;
  householdsBefore: number | null;
  householdsAfter: number | null;
  geometry: Polygon | MultiPolygon;
}

/** Plan grids against the filed land partition of the township, matched by code (codes kept from the filing). */
export async function planDiff(knex: Knex, planId: string, townshipPrefix: string): Promise<PlanDiffEntry[]> {
  const filed = inForce(knex('grids'), undefined)
    .select('code', 'name', 'households', knex.raw('ST_Area(geom::geography) AS area'), knex.raw('geom'))
    .where('division_code', 'like', `${townshipPrefix}%`)
    .whereNot('kind', 'maritime');
  const result = await knex.raw(
    `WITH filed AS (${filed.toQuery()}),
          proposed AS (SELECT id, code, name, households, ST_Area(geom::geography) AS area, geom FROM plan_grids WHERE plan_id = ?)
     SELECT coalesce(p.code, f.code) AS code, p.id AS plan_grid_id, coalesce(p.name, f.name) AS name,
            CASE WHEN f.code IS NULL THEN 'added' WHEN p.id IS NULL THEN 'retired'
                 WHEN ST_Equals(p.geom, f.geom) AND p.households = f.households THEN 'unchanged' ELSE 'reshaped' END AS change,
            f.area AS area_before, p.area AS area_after, f.households AS households_before, p.households AS households_after,
            ST_AsGeoJSON(coalesce(p.geom, f.geom), 7)::json AS geometry
     FROM proposed p FULL OUTER JOIN filed f ON p.code = f.code
     ORDER BY coalesce(p.code, f.code), p.id`,
    [planId],
  );
  return result.rows.map((r: Record<string, any>) => ({
    code: r.code,
    planGridId: r.plan_grid_id === null ? null : String(r.plan_grid_id),
    name: r.name,
    change: r.change,
    areaM2Before: r.area_before === null ? null : Math.round(r.area_before),
    areaM2After: r.area_after === null ? null : Math.round(r.area_after),
    householdsBefore: r.households_before,
    householdsAfter: r.households_after,
    geometry: r.geometry,
  }));
}
