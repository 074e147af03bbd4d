// Reading a zip without trusting it: entries are inflated as streams (yauzl) while their bytes are counted, so a
// zip bomb is stopped the moment it passes a limit (entry count, total inflated size, compression ratio of an
// entry), whatever sizes its headers declare. Only the entries the caller asks for are inflated at all.
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { FormatError } from './types.ts';

export interface ZipLimits {
  /** entries the zip may list, directories and skipped entries included */
  entries: number;
  /** bytes all inflated entries may add up to */
  inflatedBytes: number;
  /** inflated bytes per compressed byte an entry may reach (checked once it is past RATIO_GRACE_BYTES) */
  ratio: number;
}

/** Defaults of the import limits (IMPORT_MAX_ENTRIES, IMPORT_MAX_INFLATED_MB, IMPORT_MAX_RATIO). */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { entries: 64, inflatedBytes: 512 * 1024 * 1024, ratio: 200 };

/** Small entries may compress as well as they like (a .cpg, a .prj, an empty .dbf): the ratio counts beyond this. */
export const RATIO_GRACE_BYTES = 1024 * 1024;

/** A path that would leave the folder it is extracted into (zip-slip), or an absolute one. */
export const isUnsafeZipPath = (name: string) => /(^|[\\/])\.\.([\\/]|$)/.test(name) || /^([\\/]|[a-zA-Z]:)/.test(name);

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

const tooLarge = (name: string, limits: ZipLimits) =>
  new FormatError('payload-too-large', `the zip inflates to more than the inflated-size limit of ${megabytes(limits.inflatedBytes)} by entry "${name}"; nothing was imported`, 413, name);
const tooCompressed = (name: string, limits: ZipLimits) =>
  new FormatError('compression-ratio', `entry "${name}" inflates to more than ${limits.ratio} times its compressed size (the compression-ratio limit): a zip bomb, not a grid layer; nothing was imported`, 422, name);

export interface ZipEntries {
  /** every file the zip lists (not directories, not `__MACOSX/`), in order */
  names: string[];
  /** the inflated bytes of those `wanted` picked */
  files: Map<string, Uint8Array>;
}

/**
 * The entries of a zip (a file's path, or its bytes) that `wanted` picks, inflated, by name. Directories and
 * `__MACOSX/` are skipped; every entry counts towards the entry limit, only inflated ones towards the size limit.
 * @example (await readZipEntries('/tmp/upload.zip', DEFAULT_ZIP_LIMITS, (n) => /\.(shp|dbf|prj|cpg)$/i.test(n))).files
 */
export async function readZipEntries(source: string | Uint8Array, limits: ZipLimits, wanted: (name: string) => boolean): Promise<ZipEntries> {
  // decodeStrings: false, so that names are checked here (zip-slip answered as such) rather than failing inside yauzl.
  const options = { decodeStrings: false, lazyEntries: true, autoClose: true };
  let zip: ZipFile;
  try {
    zip = typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(Buffer.from(source.buffer, source.byteOffset, source.byteLength), options);
  } catch (error) {
    throw new FormatError('not-a-zip', `the body is not a readable zip: ${(error as Error).message}`, 422);
  }
  try {
    if (zip.entryCount > limits.entries) {
      throw new FormatError('too-many-entries', `the zip lists ${zip.entryCount} entries, more than the entry limit of ${limits.entries}; a shapefile needs 3 to 8`, 422);
    }
    const names: string[] = [];
    const files = new Map<string, Uint8Array>();
    const total = { inflated: 0 };
    for await (const entry of zip.eachEntry()) {
      const name = nameOf(entry);
      if (isUnsafeZipPath(name)) throw new FormatError('unsafe-zip-entry', `the zip entry "${name}" points outside the archive (zip-slip); nothing was imported`, 400, name);
      if (name.endsWith('/') || name.startsWith('__MACOSX/')) continue;
      names.push(name);
      if (wanted(name)) files.set(name, await inflate(zip, entry, name, limits, total));
    }
    return { names, files };
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError('not-a-zip', `the body is not a readable zip: ${(error as Error).message}`, 422);
  } finally {
    zip.close();
  }
}

function nameOf(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
}

/** One entry's bytes, refused before inflating when its header already passes a limit, and as soon as its bytes do. */
async function inflate(zip: ZipFile, entry: Entry, name: string, limits: ZipLimits, total: { inflated: number }): Promise<Uint8Array> {
  if (total.inflated + entry.uncompressedSize > limits.inflatedBytes) throw tooLarge(name, limits);
  const overRatio = (inflated: number) => inflated > RATIO_GRACE_BYTES && inflated > limits.ratio * Math.max(entry.compressedSize, 1);
  if (overRatio(entry.uncompressedSize)) throw tooCompressed(name, limits);
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let inflated = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      total.inflated += chunk.length;
      if (total.inflated > limits.inflatedBytes) throw tooLarge(name, limits);
      if (overRatio(inflated)) throw tooCompressed(name, limits);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof FormatError) throw error;
    // yauzl counts too: an entry that inflates to more (or less) than its header declares is a lie, or damage.
    throw new FormatError('bad-zip-entry', `entry "${name}" cannot be inflated: ${(error as Error).message}; nothing was imported`, 422, name);
  } finally {
    stream.destroy();
  }
  return new Uint8Array(Buffer.concat(chunks, inflated));
}
