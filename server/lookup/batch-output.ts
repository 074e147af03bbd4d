// Batch answers written straight into bytes, a chunk at a time as the socket takes them: each grid's JSON pieces
// are encoded once per answer and copied for every point that falls in it, so a 100,000-point answer builds no
// string or object per point, and no more than a chunk or two of it is in memory at once.
import { Readable } from 'node:stream';
import type { LookupGrid } from '../domain/lookup/index.ts';
import type { PointBatch } from './batch-input.ts';
import type { BatchAnswer } from './lookup-service.ts';

const CHUNK_BYTES = 64 * 1024;
// A chunk is sent once it holds this much; the rest of it leaves room for the next point without growing.
const CHUNK_FULL = CHUNK_BYTES - 1024;

/** Bytes of one chunk of a response, grown when a single piece does not fit. */
class ChunkWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** UTF-8 of `value`: at most three bytes per UTF-16 unit. */
  text(value: string): void {
    this.reserve(value.length * 3);
    this.length += this.buffer.write(value, this.length);
  }

  get full(): boolean {
    return this.length >= CHUNK_FULL;
  }

  /** The bytes written since the last take; the writer goes on in a new chunk. */
  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.length = 0;
    return chunk;
  }
}

const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NULL = Buffer.from('null');
const EMPTY_ARRAY = Buffer.from('[]');
const NO_GRID_HEAD = Buffer.from('"gridCode":null,"microGridCode":');
const NO_GRID_TAIL = Buffer.from(',"villageCode":null,"seaGridCodes":');
const FAULT_ANSWER = '"gridCode":null,"microGridCode":null,"villageCode":null,"seaGridCodes":[],"error":';

export interface JsonBatchOptions {
  /** The village (or community) code of a land grid, or null. */
  villageCode(grid: LookupGrid): string | null;
  /** The `id` a point was sent with, if any. */
  idOf?(index: number): unknown;
}

function* jsonBatchChunks(batch: PointBatch, result: BatchAnswer, options: JsonBatchOptions): Generator<Buffer> {
  const { grids, land, micro, seaStart, sea } = result;
  // Encoded on first use: the quoted code of any grid; for a land grid the pieces around its micro-grid code.
  const quoted: Array<Buffer | undefined> = new Array(grids.length);
  const landHead: Array<Buffer | undefined> = new Array(grids.length);
  const landTail: Array<Buffer | undefined> = new Array(grids.length);
  const quotedCode = (g: number) => (quoted[g] ??= Buffer.from(JSON.stringify(grids[g].code)));
  const headOf = (g: number) => (landHead[g] ??= Buffer.from(`"gridCode":${JSON.stringify(grids[g].code)},"microGridCode":`));
  const tailOf = (g: number) => (landTail[g] ??= Buffer.from(`,"villageCode":${JSON.stringify(options.villageCode(grids[g]))},"seaGridCodes":`));
  const faults = batch.faults.size > 0 ? batch.faults : null;

  const out = new ChunkWriter();
  out.text(`{"count":${batch.size},"results":[`);
  for (let i = 0; i < batch.size; i++) {
    if (out.full) yield out.take();
    if (i > 0) out.byte(COMMA);
    out.byte(OPEN_BRACE);
    const id = options.idOf?.(i);
    if (id !== undefined) out.text(`"id":${JSON.stringify(id)},`);
    const fault = faults?.get(i);
    if (fault !== undefined) {
      out.text(`${FAULT_ANSWER}${JSON.stringify(fault)}}`);
      continue;
    }
    const g = land[i];
    out.bytes(g >= 0 ? headOf(g) : NO_GRID_HEAD);
    out.bytes(micro[i] >= 0 ? quotedCode(micro[i]) : NULL);
    out.bytes(g >= 0 ? tailOf(g) : NO_GRID_TAIL);
    const first = seaStart[i];
    const end = seaStart[i + 1];
    if (first === end) out.bytes(EMPTY_ARRAY);
    else {
      out.byte(OPEN_BRACKET);
      for (let k = first; k < end; k++) {
        if (k > first) out.byte(COMMA);
        out.bytes(quotedCode(sea[k]));
      }
      out.byte(CLOSE_BRACKET);
    }
    out.byte(CLOSE_BRACE);
  }
  const errors = [...batch.faults].map(([i, message]) => ({ pointer: `/${i}`, message }));
  out.text(`],"errors":${JSON.stringify(errors)}}`);
  yield out.take();
}

/**
 * The answer to a JSON batch as a byte stream: `{"count":…,"results":[{id?, gridCode, microGridCode, villageCode,
 * seaGridCodes, error?}, …],"errors":[{pointer:"/3",message}, …]}`, results in input order. Chunks are written
 * when the stream is read, so a slow reader holds back the writing instead of the whole answer piling up.
 */
export function jsonBatchAnswer(batch: PointBatch, result: BatchAnswer, options: JsonBatchOptions): Readable {
  return Readable.from(jsonBatchChunks(batch, result, options), { objectMode: false });
}
