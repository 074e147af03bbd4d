// Position ingest: 1,000,000 reports from a generated CSV through the same code path as POST /v1/positions
// (parsePositionCsv → LandMask → orderBatch → storePositions) while a FormationTracker keeps the footprints of
// 50 formations current after every 20,000-report chunk. Baseline in the same run: the same ingest without
// footprint tracking. Target ≥ 50,000 reports/s. Database: a scratch PostgreSQL database (WANGGE_TEST_PG_URL or the
// local server), else the embedded PGlite.
// Run: npx tsx scripts/bench/ingest.bench.ts   → one JSON line.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { migrateToLatest, openDatabase, type Database } from '../../server/db/database.ts';
import { latestTimes, storePositions } from '../../server/db/repositories/vessels.ts';
import { LandMask } from '../../server/domain/maritime/land.ts';
import { orderBatch, parsePositionCsv } from '../../server/domain/maritime/positions.ts';
import { FormationTracker } from '../../server/domain/maritime/tracker.ts';
import { DEFAULT_FOOTPRINT } from '../../server/domain/maritime/footprint.ts';
import { createScratchDatabase } from '../../test/support/service.ts';

const REPORTS = Number(process.env.INGEST_REPORTS ?? 1_000_000);
const VESSELS = 1_000;
const FORMATIONS = 50;
const CHUNK = 20_000;
const TARGET = 50_000;

function generateCsv(n: number, startMs: number): string[] {
  // One CSV text per chunk, as a feed would deliver them; vessels drift around the 沈家门 and 嵊泗 grounds.
  const chunks: string[] = [];
  for (let start = 0; start < n; start += CHUNK) {
    const lines = ['mmsi,time,lon,lat,sog,cog'];
    for (let i = start; i < Math.min(n, start + CHUNK); i++) {
      const v = i % VESSELS;
      const step = Math.floor(i / VESSELS);
      const ground = v % 2 === 0 ? [122.55, 29.85] : [122.75, 30.65];
      const lon = ground[0] + ((v * 37) % 100) / 500 + step * 0.00002;
      const lat = ground[1] + ((v * 53) % 100) / 700 + Math.sin(step / 50) * 0.01;
      lines.push(`${412500000 + v},${new Date(startMs + step * 10_000).toISOString()},${lon.toFixed(6)},${lat.toFixed(6)},6.5,${(step * 7) % 360}`);
    }
    chunks.push(lines.join('\n'));
  }
  return chunks;
}

async function ingest(db: Database, chunks: string[], land: LandMask, tracker: FormationTracker | null, now: Date) {
  const started = performance.now();
  let stored = 0, outOfOrder = 0, onLand = 0, refreshed = 0;
  for (const text of chunks) {
    const batch = parsePositionCsv(text, now);
    const flagged = batch.reports.map((r) => ({ ...r, onLand: land.covers(r.lon, r.lat) }));
    onLand += flagged.filter((r) => r.onLand).length;
    outOfOrder += orderBatch(batch.reports, await latestTimes(db.knex, [...new Set(batch.reports.map((r) => r.mmsi))])).outOfOrder;
    stored += await storePositions(db.knex, flagged);
    if (tracker) {
      for (const r of batch.reports) tracker.observe(r);
      refreshed += tracker.refresh({ now: now.getTime(), ...DEFAULT_FOOTPRINT }).length;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds: +seconds.toFixed(2), reportsPerSecond: Math.round(chunks.length && REPORTS / seconds), stored, outOfOrder, onLand, footprintsRecomputed: refreshed };
}

async function main() {
  const islands: FeatureCollection<Polygon | MultiPolygon> = JSON.parse(await readFile(path.resolve('geodata/zhoushan-islands.geojson'), 'utf8'));
  const land = new LandMask(islands.features.map((f) => f.geometry));
  const scratch = await createScratchDatabase().catch(() => null);
  const db = await openDatabase({ databaseUrl: scratch?.url ?? null, embeddedDir: null });
  await migrateToLatest(db.knex);
  try {
    const now = new Date();
    const startMs = now.getTime() - (REPORTS / VESSELS) * 10_000 - 60_000;
    const chunks = generateCsv(REPORTS, startMs);
    const membership = Array.from({ length: VESSELS }, (_, v) => ({ formationCode: `F${v % FORMATIONS}`, mmsi: String(412500000 + v) }));
    const baseline = await ingest(db, chunks, land, null, now);
    await db.knex('vessel_positions').delete();
    const heapBefore = process.memoryUsage().heapUsed;
    const tracked = await ingest(db, chunks, land, new FormationTracker(membership), now);
    const memory = process.memoryUsage();
    console.log(
      JSON.stringify({
        bench: 'ingest',
        backend: db.backend,
        reports: REPORTS,
        vessels: VESSELS,
        formations: FORMATIONS,
        withFootprints: tracked,
        baselineWithoutFootprints: baseline,
        ratioVsBaseline: +(tracked.reportsPerSecond / baseline.reportsPerSecond).toFixed(3),
        target: TARGET,
        meetsTarget: tracked.reportsPerSecond >= TARGET,
        memoryMB: { rss: Math.round(memory.rss / 2 ** 20), heapUsed: Math.round(memory.heapUsed / 2 ** 20), heapGrowthDuringRun: Math.round((memory.heapUsed - heapBefore) / 2 ** 20) },
      }),
    );
  } finally {
    await db.close();
    await scratch?.drop();
  }
}

await main();
