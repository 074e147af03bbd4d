// Position ingest: 1,000,000 reports from a generated CSV through the same code path as POST /v1/positions
// (parsePositionCsv → ingestPositions: land mask, out-of-order count, store, footprints derived again and written to
// the formations' grids) in 20,000-report batches, replayed as a live feed: each batch is ingested a minute after its
// last report, so its vessels are fresh. 1,000 vessels in 50 filed formations. Baseline in the same run: the same
// ingest before the vessels join their formations (no footprint to keep). Target ≥ 50,000 reports/s.
// Database: a scratch PostgreSQL database (WANGGE_TEST_PG_URL or the local server), else the embedded PGlite;
// INGEST_BACKEND=embedded forces PGlite. INGEST_REPORTS changes the count.
// Run: npx tsx scripts/bench/ingest.bench.ts   → one JSON line.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { migrateToLatest, openDatabase, type Database } from '../../server/db/database.ts';
import { filePartition } from '../../server/db/repositories/filings.ts';
import { addMembership, insertVessel, positionWriterFor } from '../../server/db/repositories/vessels.ts';
import { codeProfile } from '../../server/domain/codes/index.ts';
import { DEFAULT_FOOTPRINT } from '../../server/domain/maritime/footprint.ts';
import { LandMask } from '../../server/domain/maritime/land.ts';
import { parsePositionCsv } from '../../server/domain/maritime/positions.ts';
import { ingestPositions } from '../../server/workflow/positions.ts';
import { createScratchDatabase } from '../../test/support/service.ts';

const REPORTS = Number(process.env.INGEST_REPORTS ?? 1_000_000);
const VESSELS = 1_000;
const FORMATIONS = 50;
const CHUNK = 20_000;
const STEP_MS = 10_000;
const TARGET = 50_000;
const TOWNSHIP = '330903105000';

interface Batch {
  text: string;
  /** when the batch is ingested: a minute after its last report */
  at: Date;
}

function generateBatches(n: number, startMs: number): Batch[] {
  // One CSV text per batch, as a feed would deliver them; vessels drift around the 沈家门 and 嵊泗 grounds.
  const batches: Batch[] = [];
  for (let start = 0; start < n; start += CHUNK) {
    const lines = ['mmsi,time,lon,lat,sog,cog'];
    const end = Math.min(n, start + CHUNK);
    for (let i = start; i < end; i++) {
      const v = i % VESSELS;
      const step = Math.floor(i / VESSELS);
      const ground = v % 2 === 0 ? [122.55, 29.85] : [122.75, 30.65];
      const lon = ground[0] + ((v * 37) % 100) / 500 + step * 0.00002;
      const lat = ground[1] + ((v * 53) % 100) / 700 + Math.sin(step / 50) * 0.01;
      lines.push(`${412500000 + v},${new Date(startMs + step * STEP_MS).toISOString()},${lon.toFixed(6)},${lat.toFixed(6)},6.5,${(step * 7) % 360}`);
    }
    batches.push({ text: lines.join('\n'), at: new Date(startMs + Math.floor((end - 1) / VESSELS) * STEP_MS + 60_000) });
  }
  return batches;
}

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

/** 50 formations filed in 东极镇 (their first footprints are placeholders until the feed arrives) and 1,000 vessels. */
async function setUp(db: Database): Promise<{ formationCodes: string[]; vesselIds: string[] }> {
  await db.knex('divisions').insert({ code: TOWNSHIP, name: '东极镇 (bench)', level: 'township' });
  const filing = await db.knex.transaction((trx) =>
    filePartition(trx, {
      townshipCode: TOWNSHIP,
      scope: 'maritime',
      grids: Array.from({ length: FORMATIONS }, (_, f) => ({
        name: `编组 ${f} (bench)`,
        kind: 'maritime' as const,
        subkind: 'vessel_formation',
        divisionCode: TOWNSHIP,
        parentCode: null,
        households: 0,
        population: 0,
        managingUnits: [],
        staff: [],
        geometry: box(123 + f * 0.01, 29.5, 123.005 + f * 0.01, 29.505),
        synthetic: true,
      })),
      filedAt: new Date(Date.now() - 2 * 86_400_000),
      approvedBy: 'bench',
      filedBy: 'bench',
      trigger: 'initial',
      planId: null,
      profile: codeProfile('default'),
      continuityThreshold: 0.8,
    }),
  );
  const vesselIds: string[] = [];
  for (let v = 0; v < VESSELS; v++) {
    vesselIds.push(
      await insertVessel(db.knex, { mmsi: String(412500000 + v), registeredName: `浙普渔${String(70000 + v)}`, type: 'trawler', lengthM: 30, homePort: null, ownerName: null, ownerPhone: null, synthetic: true }),
    );
  }
  return { formationCodes: filing.codes.allocated, vesselIds };
}

/**
 * CPU seconds the PostgreSQL server processes of this database have used so far (Linux /proc; a local server only),
 * so that the work per report can be told apart from the machine's load. Null where it cannot be read.
 */
async function databaseCpuSeconds(db: Database): Promise<number | null> {
  if (db.backend !== 'postgresql') return null;
  try {
    const { rows } = await db.knex.raw('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
    let ticks = 0;
    for (const { pid } of rows as Array<{ pid: number }>) {
      // Fields after the command name: state is field 3, utime and stime are fields 14 and 15.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

async function ingest(db: Database, batches: Batch[], land: LandMask) {
  const settings = { writer: positionWriterFor(db.backend), land, footprint: DEFAULT_FOOTPRINT };
  const databaseCpu = await databaseCpuSeconds(db);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let stored = 0, outOfOrder = 0, onLand = 0, rejected = 0, footprints = 0;
  for (const { text, at } of batches) {
    const report = await ingestPositions(db.knex, parsePositionCsv(text, at), at, settings);
    stored += report.stored;
    outOfOrder += report.outOfOrder;
    onLand += report.onLand;
    rejected += report.rejected.length;
    footprints += report.footprintsUpdated.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const databaseCpuAfter = await databaseCpuSeconds(db);
  const nodeCpuSeconds = (user + system) / 1e6;
  const serverCpu = databaseCpu === null || databaseCpuAfter === null ? null : databaseCpuAfter - databaseCpu;
  return {
    seconds: +seconds.toFixed(2),
    reportsPerSecond: Math.round(REPORTS / seconds),
    nodeCpuSeconds: +nodeCpuSeconds.toFixed(2),
    // The server's share on PostgreSQL (PGlite runs inside Node). Reports per CPU-second of both together is what an
    // idle machine would do with the two running one after the other, whatever the load was during the run.
    databaseCpuSeconds: serverCpu === null ? null : +serverCpu.toFixed(2),
    reportsPerCpuSecond: Math.round(REPORTS / (nodeCpuSeconds + (serverCpu ?? 0))),
    stored,
    outOfOrder,
    onLand,
    rejected,
    footprintsUpdated: footprints,
  };
}

async function main() {
  const islands: FeatureCollection<Polygon | MultiPolygon> = JSON.parse(await readFile(path.resolve('geodata/zhoushan-islands.geojson'), 'utf8'));
  const land = new LandMask(islands.features.map((f) => f.geometry));
  const scratch = process.env.INGEST_BACKEND === 'embedded' ? null : await createScratchDatabase().catch(() => null);
  const db = await openDatabase({ databaseUrl: scratch?.url ?? null, embeddedDir: null });
  await migrateToLatest(db.knex);
  try {
    const { formationCodes, vesselIds } = await setUp(db);
    const startMs = Date.now() - (REPORTS / VESSELS) * STEP_MS - 120_000;
    const batches = generateBatches(REPORTS, startMs);
    const loadBefore = os.loadavg()[0];
    const baseline = await ingest(db, batches, land);
    await db.knex('vessel_positions').truncate();
    const joined = new Date(startMs - 86_400_000).toISOString().slice(0, 10);
    for (const [v, id] of vesselIds.entries()) await addMembership(db.knex, id, formationCodes[v % FORMATIONS], 'vessel_formation', joined, null);
    const heapBefore = process.memoryUsage().heapUsed;
    const tracked = await ingest(db, batches, land);
    const memory = process.memoryUsage();
    const derived = await db.knex('grids').whereIn('code', formationCodes).whereNull('valid_to').whereNotNull('footprint_at').count<{ n: string }[]>({ n: '*' });
    console.log(
      JSON.stringify({
        bench: 'ingest',
        backend: db.backend,
        writer: positionWriterFor(db.backend),
        reports: REPORTS,
        vessels: VESSELS,
        formations: FORMATIONS,
        withFootprints: tracked,
        formationsWithDerivedFootprint: Number(derived[0].n),
        baselineWithoutFootprints: baseline,
        ratioVsBaseline: +(tracked.reportsPerSecond / baseline.reportsPerSecond).toFixed(3),
        target: TARGET,
        meetsTarget: tracked.reportsPerSecond >= TARGET,
        memoryMB: { rss: Math.round(memory.rss / 2 ** 20), heapUsed: Math.round(memory.heapUsed / 2 ** 20), heapGrowthDuringRun: Math.round((memory.heapUsed - heapBefore) / 2 ** 20) },
        loadAverage: { before: +loadBefore.toFixed(2), after: +os.loadavg()[0].toFixed(2), cores: os.cpus().length },
      }),
    );
  } finally {
    await db.close();
    await scratch?.drop();
  }
}

await main();
