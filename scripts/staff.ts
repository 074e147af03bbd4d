// `npm run staff -- import roster.csv`: imports grid staff rosters from CSV (columns code, role, name, phone, from, to;
// roles in Chinese or English) on the API's code path (importRosters: all or nothing, audited). The per-row report
// goes to stdout; faults, each naming its row and column, to stderr with exit code 1. XLSX is not read (no XLSX
// library in the project): save the sheet as CSV (UTF-8) first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config/env.ts';
import { migrateToLatest, openDatabase } from '../server/db/database.ts';
import { ProblemError } from '../server/http/problem.ts';
import type { Principal } from '../server/domain/access/roles.ts';
import { importRosters } from '../server/workflow/staff.ts';

const USAGE = 'usage: npm run staff -- import <roster.csv>';

const [command, file] = process.argv.slice(2);
if (command !== 'import' || !file) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
if (/\.xlsx?$/i.test(file)) {
  process.stderr.write(`${path.basename(file)}: XLSX is not supported; save the sheet as CSV (UTF-8) and import that\n`);
  process.exit(2);
}

// The operator at the console has the database itself; it acts as an administrator, and the audit log names it.
const operator: Principal = { id: null, name: `staff CLI (${process.env.USER ?? 'operator'})`, role: 'admin', scopePrefix: '' };

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pglite') });
try {
  await migrateToLatest(db.knex);
  const report = await importRosters(db.knex, operator, readFileSync(file, 'utf8'));
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} catch (error) {
  if (!(error instanceof ProblemError)) throw error;
  process.stderr.write(`${error.title}: ${error.detail ?? ''}\n`);
  for (const e of error.errors) process.stderr.write(`  ${e.pointer}: ${e.message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
