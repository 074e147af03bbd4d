// `npm run import:divisions -- boundaries.geojson|boundaries.shp [--crs wgs84|cgcs2000|gcj02|bd09]`
// Loads a city's authoritative division boundaries over the derived ones, all or nothing, with a per-feature report.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as shapefile from 'shapefile';
import { loadConfig } from '../server/config/env.ts';
import { migrateToLatest, openDatabase } from '../server/db/database.ts';
import { boundaryInvalidity, divisionCodes, replaceBoundary } from '../server/db/repositories/divisions.ts';
import { readBoundaryFeatures, type BoundaryFeature } from '../server/domain/divisions/boundaryImport.ts';
import { isInputCrs } from '../server/domain/crs/to-wgs84.ts';

const { values, positionals } = parseArgs({ options: { crs: { type: 'string', default: 'wgs84' } }, allowPositionals: true });
const file = positionals[0];
if (!file) {
  console.error('usage: npm run import:divisions -- <boundaries.geojson | boundaries.shp> [--crs wgs84|cgcs2000|gcj02|bd09]');
  process.exit(2);
}
if (!isInputCrs(values.crs!)) {
  console.error(`--crs: "${values.crs}" is not one of wgs84, cgcs2000, gcj02, bd09`);
  process.exit(2);
}

async function readFeatures(source: string): Promise<BoundaryFeature[]> {
  if (path.extname(source).toLowerCase() === '.shp') return (await shapefile.read(source, undefined, { encoding: 'utf-8' })).features;
  const json = JSON.parse(await readFile(source, 'utf8'));
  return json.type === 'FeatureCollection' ? json.features : [json];
}

const progress = (done: number, total: number) => process.stderr.write(`\rimporting boundaries ${done}/${total} (${Math.round((100 * done) / total)}%)`);

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pglite') });
let failed = false;
try {
  await migrateToLatest(db.knex);
  const features = await readFeatures(file);
  const { accepted, rejected } = readBoundaryFeatures(features, await divisionCodes(db.knex), values.crs);
  for (const r of accepted) {
    const reason = await boundaryInvalidity(db.knex, r.geometry);
    if (reason) rejected.push({ index: r.index, pointer: `/features/${r.index}/geometry`, message: `invalid: ${reason} (repair it, e.g. with ST_MakeValid, and import again)` });
  }
  if (rejected.length) {
    failed = true;
    for (const r of rejected.sort((a, b) => a.index - b.index)) console.error(`${r.pointer}: ${r.message}`);
    console.error(`nothing imported: ${rejected.length} of ${features.length} features rejected`);
  } else {
    await db.knex.transaction(async (trx) => {
      for (const [i, r] of accepted.entries()) {
        await replaceBoundary(trx, r.code, r.geometry);
        progress(i + 1, accepted.length);
      }
    });
    process.stderr.write('\n');
    console.log(`imported ${accepted.length} authoritative boundaries (marked synthetic: false)`);
  }
} finally {
  await db.close();
}
process.exit(failed ? 1 : 0);
