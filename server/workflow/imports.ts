// Importing a grid file into a draft plan, all or nothing: the API and `npm run import` share it. Who may edit the
// plan, at which version, is decided before the file is read; reading (unzip, parse) is the reader's, in a worker
// thread for the API; the grids are written in one edit (If-Match, revalidation, audit).
import type { Knex } from 'knex';
import type { Principal } from '../domain/access/roles.ts';
import { allowedTransitions } from '../domain/plans/status.ts';
import type { PlacedImport } from '../domain/plans/import.ts';
import type { FeatureFault } from '../domain/formats/index.ts';
import type { ImportFile, ImportReader } from '../jobs/imports.ts';
import { insertPlanGrids, type PlanRecord } from '../db/repositories/plans.ts';
import { ProblemError } from '../http/problem.ts';
import type { Config } from '../config/env.ts';
import { editablePlan, editPlan } from './plans.ts';

export interface ImportResult {
  imported: number;
  features: Array<{ index: number; planGridId: string; code: string | null; name: string; notes: string[] }>;
  skipped: FeatureFault[];
  plan: PlanRecord & { allowedTransitions: string[] };
}

export interface ImportOptions {
  config: Config;
  /** how the file is read: on the import thread (the API) or in-process (the CLI) */
  read: ImportReader;
  /** grids written so far, of all */
  onProgress?: (done: number, total: number) => void;
}

/** Whether a read file can be imported at all: a 422 naming every rejected feature, or saying the file is empty. */
export function assertImportable(placed: PlacedImport): void {
  if (placed.rejected.length) {
    throw new ProblemError(422, 'import-rejected', 'Features rejected', `${placed.rejected.length} of ${placed.features} feature(s) cannot be imported; nothing was imported`, placed.rejected.map(({ pointer, message }) => ({ pointer, message })));
  }
  if (placed.grids.length === 0) throw new ProblemError(422, 'empty-import', 'Nothing to import', 'the file holds no features', [{ pointer: 'body', message: 'no features' }]);
}

/** Reads a file for a plan of `target`'s township and checks it can be imported (422 otherwise). */
export async function readImport(file: ImportFile, target: Pick<PlanRecord, 'townshipCode' | 'scope'>, { config, read }: Pick<ImportOptions, 'config' | 'read'>): Promise<PlacedImport> {
  const placed = await read({ ...file, limits: config.importLimits, target: { townshipCode: target.townshipCode, scope: target.scope } });
  assertImportable(placed);
  return placed;
}

/**
 * Adds every grid of a read file to a draft plan in one edit, or nothing (412 when the plan moved on meanwhile).
 * `file` says what the grids were read from, for the audit entry.
 */
export async function writeImport(
  knex: Knex,
  principal: Principal,
  planId: string,
  ifMatch: string | undefined,
  placed: PlacedImport,
  file: Omit<ImportFile, 'source'>,
  { config, onProgress }: Pick<ImportOptions, 'config' | 'onProgress'>,
): Promise<ImportResult> {
  let ids: string[] = [];
  const plan = await editPlan(knex, principal, planId, ifMatch, 'grid.import', async (trx, current) => {
    ids = [];
    for (const [i, { grid }] of placed.grids.entries()) {
      ids.push(...(await insertPlanGrids(trx, current.id, [{ ...grid, managingUnits: [], staff: [] }])));
      onProgress?.(i + 1, placed.grids.length);
    }
    return { imported: ids.length, format: file.format, crs: file.crs, layer: file.layer, skipped: placed.ignored.length };
  }, config);
  return {
    imported: ids.length,
    features: placed.grids.map((g, i) => ({ index: g.index, planGridId: ids[i], code: g.grid.code, name: g.grid.name, notes: g.notes })),
    skipped: placed.ignored,
    plan: { ...plan, allowedTransitions: allowedTransitions(plan.status) },
  };
}

/**
 * Imports a file into a draft plan: who may edit it at which version is checked first (401/403/404/409/412/428),
 * and only then is the file received (`receive`: an upload is read from the request only now) and read, and its
 * grids written in one edit.
 */
export async function importIntoPlan(
  knex: Knex,
  principal: Principal,
  planId: string,
  ifMatch: string | undefined,
  receive: () => Promise<ImportFile>,
  options: ImportOptions,
): Promise<ImportResult> {
  const { plan } = await editablePlan(knex, principal, planId, ifMatch);
  const file = await receive();
  const placed = await readImport(file, plan, options);
  return writeImport(knex, principal, planId, ifMatch, placed, file, options);
}
