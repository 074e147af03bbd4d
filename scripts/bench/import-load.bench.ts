// Lookups while imports arrive (issue 17, item 2): single GETs at 50 connections (autocannon, its own process) while a
// client process uploads an honest zipped shapefile inflating to ~500 MB (a county's worth of attribute columns, in
// another township, so it is unzipped and parsed in full and then refused 422 with nothing written) and two zip
// bombs of 2 GiB (one that declares it, refused at its header with 413; one whose header lies, refused 422 as soon
// as it inflates past what it declares), and polls /health every 100 ms. Embedded store, default import limits.
// First the imports run once alone (starting the import thread, and timing them), then again under the load, which
// lasts as long as they took alone. Prints one JSON line: lookup p99 under the imports against the same load without
// them, and whether /health answered throughout. The files are made once in the temp folder and kept.
import { createWriteStream, existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync, constants } from 'node:zlib';
import { unzipSync } from 'fflate';
import { writeGridFile, type TransferGrid } from '../../server/domain/formats/index.ts';
import { mulberry32 } from '../../server/domain/random.ts';
import { LOAD_SOURCE, POINTS_TOWNSHIP, inChildProcess, realisticPoints, startLoopbackService, type LoadResult } from './loopback.ts';

const CONNECTIONS = 50;
const MB = 1024 * 1024;
const HONEST_BYTES = 500 * MB;
const BOMB_BYTES = 2048 * MB;
const OTHER_VILLAGE = '330902002001';

// ---- files -------------------------------------------------------------------------------------------------------

/** An entry's content as `raw` repeated `times` (a chunk deflated once with a full flush, so copies concatenate). */
interface Part {
  raw: Uint8Array;
  times: number;
}
interface EntrySpec {
  name: string;
  parts: Part[];
  /** what the headers say it inflates to; the truth unless a bomb lies */
  declared?: number;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Writes a zip of deflated entries (no zip64: every size stays under 4 GiB). */
async function writeZip(file: string, entries: EntrySpec[]): Promise<void> {
  const out = createWriteStream(`${file}.part`);
  const write = (bytes: Uint8Array) => new Promise<void>((resolve, reject) => out.write(bytes, (e) => (e ? reject(e) : resolve())));
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const deflated = entry.parts.map((p) => ({ ...p, bytes: deflateRawSync(p.raw, { level: 6, finishFlush: constants.Z_FULL_FLUSH }) }));
    const end = deflateRawSync(new Uint8Array(0));
    let crc = 0;
    for (const p of entry.parts) for (let i = 0; i < p.times; i++) crc = crc32(crc, p.raw);
    const size = entry.parts.reduce((s, p) => s + p.raw.length * p.times, 0);
    const compressed = deflated.reduce((s, p) => s + p.bytes.length * p.times, 0) + end.length;
    const name = Buffer.from(entry.name);
    const header = (signature: number, central: boolean) => {
      const h = Buffer.alloc((central ? 46 : 30) + name.length);
      h.writeUInt32LE(signature, 0);
      // The central header has "version made by" first; from "version needed" on the two are laid out alike.
      if (central) h.writeUInt16LE(20, 4);
      const at = central ? 6 : 4;
      h.writeUInt16LE(20, at);
      h.writeUInt16LE(0x0800, at + 2); // UTF-8 names
      h.writeUInt16LE(8, at + 4); // deflate
      h.writeUInt32LE(crc, at + 10);
      h.writeUInt32LE(compressed, at + 14);
      h.writeUInt32LE(entry.declared ?? size, at + 18);
      h.writeUInt16LE(name.length, at + 22);
      if (central) h.writeUInt32LE(offset, 42);
      name.copy(h, central ? 46 : 30);
      return h;
    };
    central.push(header(0x02014b50, true));
    const local = header(0x04034b50, false);
    await write(local);
    for (const p of deflated) for (let i = 0; i < p.times; i++) await write(p.bytes);
    await write(end);
    offset += local.length + compressed;
  }
  const directory = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(offset, 16);
  await write(directory);
  await write(eocd);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  await rename(`${file}.part`, file);
}

/**
 * A shapefile of `count` small squares whose .dbf is as wide as DBF goes: a division code (of another township), a
 * name and 238 text columns of words (254 bytes each, ~60 KB a record), ~500 MB in all, compressing ~6×.
 */
async function honestShapefile(file: string): Promise<void> {
  const columns = 238;
  const recordLength = 1 + 12 + 20 + columns * 254;
  const perChunk = 256;
  const count = Math.ceil(HONEST_BYTES / recordLength / perChunk) * perChunk;
  const squares: TransferGrid[] = Array.from({ length: count }, (_, i) => {
    const [x, y] = [122.0 + (i % 100) * 0.001, 30.0 + Math.floor(i / 100) * 0.001];
    const ring = [[x, y], [x + 0.0009, y], [x + 0.0009, y + 0.0009], [x, y + 0.0009], [x, y]];
    return { code: null, name: `网格 ${i}`, kind: 'comprehensive', subkind: null, divisionCode: OTHER_VILLAGE, parentCode: null, households: 1, population: 1, geometry: { type: 'Polygon', coordinates: [ring] } };
  });
  const { body } = await writeGridFile(squares, 'shapefile', 'county');
  const files = unzipSync(body as Uint8Array);

  const fields = [['division', 12], ['name', 20], ...Array.from({ length: columns }, (_, i) => [`note${i}`, 254])] as Array<[string, number]>;
  const header = Buffer.alloc(32 + 32 * fields.length + 1);
  header.set([0x03, 126, 1, 1]);
  header.writeUInt32LE(count, 4);
  header.writeUInt16LE(header.length, 8);
  header.writeUInt16LE(recordLength, 10);
  fields.forEach(([name, size], i) => {
    header.write(name, 32 + 32 * i, 'latin1');
    header[32 + 32 * i + 11] = 'C'.charCodeAt(0);
    header[32 + 32 * i + 16] = size;
  });
  header[header.length - 1] = 0x0d;
  const words = ['网格', 'grid', 'village', '社区', 'harbour', 'road', 'north', 'east', 'south', 'west', '12', '34', '56', '78', 'A', 'B'].map((w) => Buffer.from(`${w} `));
  const random = mulberry32(7);
  const cell = () => {
    const parts: Buffer[] = [];
    for (let n = 0; n < 254; n += parts[parts.length - 1].length) parts.push(words[Math.floor(random() * words.length)]);
    return Buffer.concat(parts).subarray(0, 254);
  };
  // One chunk of records, repeated: the records differ in their words, not their names (the reader does not care).
  const chunk = Buffer.alloc(perChunk * recordLength, 0x20);
  for (let r = 0; r < perChunk; r++) {
    const at = r * recordLength;
    chunk.write(OTHER_VILLAGE, at + 1, 'latin1');
    chunk.write(`record ${r}`, at + 13, 'latin1');
    for (let c = 0; c < columns; c++) cell().copy(chunk, at + 33 + c * 254);
  }
  await writeZip(file, [
    { name: 'county.shp', parts: [{ raw: files['county.shp'], times: 1 }] },
    { name: 'county.shx', parts: [{ raw: files['county.shx'], times: 1 }] },
    { name: 'county.prj', parts: [{ raw: files['county.prj'], times: 1 }] },
    { name: 'county.cpg', parts: [{ raw: files['county.cpg'], times: 1 }] },
    { name: 'county.dbf', parts: [{ raw: header, times: 1 }, { raw: chunk, times: count / perChunk }, { raw: Uint8Array.of(0x1a), times: 1 }] },
  ]);
}

/** The honest little shapefile of the fixtures with a .dbf of 2 GiB of zeros (~2 MB deflated), declared or not. */
async function bomb(file: string, lie: boolean): Promise<void> {
  const { body } = await writeGridFile([], 'shapefile', 'bomb');
  const files = unzipSync(body as Uint8Array);
  await writeZip(file, [
    { name: 'bomb.shp', parts: [{ raw: files['bomb.shp'], times: 1 }] },
    { name: 'bomb.prj', parts: [{ raw: files['bomb.prj'], times: 1 }] },
    { name: 'bomb.dbf', parts: [{ raw: new Uint8Array(64 * MB), times: BOMB_BYTES / (64 * MB) }], declared: lie ? 100_000 : undefined },
  ]);
}

async function made(name: string, make: (file: string) => Promise<void>): Promise<string> {
  const file = path.join(os.tmpdir(), `wangge-bench-${name}.zip`);
  if (!existsSync(file)) {
    console.error(`making ${file}…`);
    await make(file);
  }
  return file;
}

// ---- clients -----------------------------------------------------------------------------------------------------

// The uploads and the /health polls come from their own process, as they would from another machine: sending 80 MB
// must not share the server's event loop. Input on stdin, result on stdout, both JSON.
const IMPORT_SOURCE = `
const fs = require('node:fs');
const { port, planId, etag, files } = JSON.parse(fs.readFileSync(0, 'utf8'));
const base = 'http://127.0.0.1:' + port;
(async () => {
  let done = false;
  const health = { answered: 0, failed: 0, slowestMs: 0 };
  const poll = (async () => {
    while (!done) {
      const t = performance.now();
      try {
        const res = await fetch(base + '/health');
        await res.arrayBuffer();
        if (res.ok) health.answered += 1; else health.failed += 1;
      } catch { health.failed += 1; }
      health.slowestMs = Math.max(health.slowestMs, Math.round(performance.now() - t));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const started = performance.now();
  const send = async (file) => {
    const t = performance.now();
    const res = await fetch(base + '/v1/plans/' + planId + '/import', {
      method: 'POST',
      body: await fs.openAsBlob(file),
      headers: { authorization: 'Bearer demo-planner', 'content-type': 'application/zip', 'if-match': etag },
    });
    const answer = await res.json();
    return { file: require('node:path').basename(file), bytes: fs.statSync(file).size, status: res.status, type: answer.type.split('/').pop(), ms: Math.round(performance.now() - t) };
  };
  const imports = await Promise.all(files.map(send));
  const ms = Math.round(performance.now() - started);
  done = true;
  await poll;
  process.stdout.write(JSON.stringify({ imports, ms, health }));
})();
`;

interface ImportRound {
  imports: Array<{ file: string; bytes: number; status: number; type: string; ms: number }>;
  ms: number;
  health: { answered: number; failed: number; slowestMs: number };
}

const files = [await made('honest-500mb', honestShapefile), await made('bomb-declared', (f) => bomb(f, false)), await made('bomb-lying', (f) => bomb(f, true))];
const { service, port, base } = await startLoopbackService();
try {
  const plan = await fetch(`${base}/v1/plans`, {
    method: 'POST',
    headers: { authorization: 'Bearer demo-planner', 'content-type': 'application/json' },
    body: JSON.stringify({ townshipCode: POINTS_TOWNSHIP, trigger: 'scale_change', start: 'empty' }),
  });
  const input = { port, planId: ((await plan.json()) as { id: string }).id, etag: plan.headers.get('etag'), files };
  const paths = (await realisticPoints(base, 10_000)).map(([x, y]) => `/v1/lookup?lon=${x}&lat=${y}`);

  const alone = await inChildProcess<ImportRound>(IMPORT_SOURCE, input);
  const durationMs = Math.max(10_000, alone.ms);
  const quiet = await inChildProcess<LoadResult>(LOAD_SOURCE, { port, paths, connections: CONNECTIONS, durationMs });
  // autocannon warms up for 2 s before it counts; the imports start as the counting does.
  const [loaded, round] = await Promise.all([
    inChildProcess<LoadResult>(LOAD_SOURCE, { port, paths, connections: CONNECTIONS, durationMs }),
    new Promise((resolve) => setTimeout(resolve, 2_000)).then(() => inChildProcess<ImportRound>(IMPORT_SOURCE, input)),
  ]);
  const versions = ((await (await fetch(`${base}/v1/plans/${input.planId}`, { headers: { authorization: 'Bearer demo-planner' } })).json()) as { version: number }).version;
  console.log(
    JSON.stringify({
      bench: 'import-load',
      backend: 'embedded',
      connections: CONNECTIONS,
      durationS: durationMs / 1000,
      importsAlone: alone,
      underLoad: round,
      planVersionAfter: versions,
      quiet: { requests: quiet.requests, errors: quiet.errors, perSecond: Math.round(quiet.perSecond), p50: quiet.p50, p99: quiet.p99 },
      importing: { requests: loaded.requests, errors: loaded.errors, perSecond: Math.round(loaded.perSecond), p50: loaded.p50, p99: loaded.p99 },
      loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
      targets: { getP99Ms: 50, healthAnswered: true },
    }),
  );
} finally {
  await service.close();
}
