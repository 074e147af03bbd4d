// `npm run import -- file.zip --division 330903001000 [--plan <id>] [--crs gcj02] [--format shapefile] [--drop-z] [--layer grids]`
// Imports a grid file (GeoJSON, zipped Shapefile, KML, CSV with WKT, GeoPackage) into a draft plan on the API's code path
// (server/workflow/imports.ts: all or nothing, within the import limits, revalidated, audited). Without --plan a new
// empty draft is created for the township, once the file has been read: a file that cannot be imported leaves no
// empty draft behind. 3D features
// are refused unless --drop-z drops their Z values (with a note each). A GeoPackage of several feature tables needs
// --layer <table_name>. Progress on stderr, the per-feature report on stdout.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config/env.ts';
import { migrateToLatest, openDatabase } from '../server/db/database.ts';
import { ProblemError } from '../server/http/problem.ts';
import { isInputCrs, type InputCrs } from '../server/domain/crs/index.ts';
import { FormatError, TRANSFER_FORMATS, type TransferFormat } from '../server/domain/formats/index.ts';
import type { Principal } from '../server/domain/access/roles.ts';
import { readImportFile, type ImportFile } from '../server/jobs/imports.ts';
import { createPlan, planEtag, visiblePlan } from '../server/workflow/plans.ts';
import { importIntoPlan, readImport, writeImport, type ImportOptions } from '../server/workflow/imports.ts';

const USAGE = `usage: npm run import -- <file.geojson|.zip|.kml|.csv|.gpkg> --division <12-digit township code> [--plan <id>] [--crs wgs84|cgcs2000|gcj02|bd09] [--format ${TRANSFER_FORMATS.join('|')}] [--drop-z] [--layer <GeoPackage table_name>]`;
const BY_EXTENSION: Record<string, TransferFormat> = { '.geojson': 'geojson', '.json': 'geojson', '.zip': 'shapefile', '.kml': 'kml', '.csv': 'csv', '.gpkg': 'geopackage' };

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    division: { type: 'string' },
    plan: { type: 'string' },
    crs: { type: 'string' },
    format: { type: 'string' },
    'drop-z': { type: 'boolean', default: false },
    layer: { type: 'string' },
  },
});
const file = positionals[0] ?? fail('name the file to import');
if (!values.division || !/^\d{12}$/.test(values.division)) fail('--division: the 12-digit township code');
if (values.plan !== undefined && !/^\d+$/.test(values.plan)) fail(`--plan: a plan id, got ${values.plan}`);
if (values.crs !== undefined && !isInputCrs(values.crs)) fail(`--crs: wgs84, cgcs2000, gcj02 or bd09, got ${values.crs}`);
const format = (values.format ?? BY_EXTENSION[path.extname(file).toLowerCase()]) as TransferFormat | undefined;
if (!format || !TRANSFER_FORMATS.includes(format)) fail(`--format: ${TRANSFER_FORMATS.join(', ')} (cannot tell from ${path.basename(file)})`);
const division = values.division;

// The operator at the console acts as an administrator of the one township named on the command line.
const operator: Principal = { id: null, name: `import CLI (${process.env.USER ?? 'operator'})`, role: 'admin', scopePrefix: division.slice(0, 9) };

function progressBar(done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} grids`);
}

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pglite') });
try {
  await migrateToLatest(db.knex);
  const upload: ImportFile = { source: { path: file }, format, crs: (values.crs as InputCrs | undefined) ?? null, dropZ: values['drop-z'], layer: values.layer ?? null };
  // Read in-process: the console waits for the file anyway, there is no server loop to keep answering.
  const options: ImportOptions = { config, read: readImportFile, onProgress: progressBar };
  const announce = (plan: { id: string; townshipCode: string }) => process.stderr.write(`${format} ${path.basename(file)} → plan ${plan.id} (${plan.townshipCode})\n`);
  let result;
  if (values.plan) {
    // The operator imports into the plan as it is now: its current version is the If-Match.
    const plan = await visiblePlan(db.knex, operator, values.plan);
    if (plan.townshipCode !== division) fail(`plan ${plan.id} belongs to ${plan.townshipCode}, not ${division}`);
    announce(plan);
    result = await importIntoPlan(db.knex, operator, plan.id, planEtag(plan), async () => upload, options);
  } else {
    const placed = await readImport(upload, { townshipCode: division, scope: 'land' }, options);
    const plan = await createPlan(db.knex, operator, { townshipCode: division, trigger: 'scale_change', description: `imported from ${path.basename(file)}`, start: 'empty' });
    announce(plan);
    result = await writeImport(db.knex, operator, plan.id, planEtag(plan), placed, upload, options);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const { plan: after, ...report } = result;
  process.stdout.write(JSON.stringify({ planId: after.id, version: after.version, ...report, findings: after.report?.counts ?? null }, null, 2) + '\n');
} catch (error) {
  if (error instanceof FormatError) process.stderr.write(`\n${error.type}: ${error.message}\n`);
  else if (!(error instanceof ProblemError)) throw error;
  else {
    process.stderr.write(`\n${error.title}: ${error.detail ?? ''}\n`);
    for (const e of error.errors) process.stderr.write(`  ${e.pointer}: ${e.message}\n`);
  }
  process.exitCode = 1;
} finally {
  await db.close();
}
