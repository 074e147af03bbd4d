// readZipEntries: the same entries from a path as from bytes, only the wanted ones inflated, and each limit refused
// with its own type, naming the entry.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { DEFAULT_ZIP_LIMITS, readZipEntries } from '../../../server/domain/formats/zip.ts';

const MB = 1024 * 1024;
const all = () => true;

describe('readZipEntries', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wangge-zip-test-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the same entries from a path as from bytes, skipping directories and __MACOSX', async () => {
    const zip = zipSync({ 'a.shp': strToU8('shape'), 'docs/': {}, '__MACOSX/._a.shp': strToU8('x'), 'b.dbf': strToU8('网格') });
    const file = path.join(dir, 'plain.zip');
    await writeFile(file, zip);
    for (const source of [zip, file]) {
      const { names, files } = await readZipEntries(source, DEFAULT_ZIP_LIMITS, all);
      expect(names).toEqual(['a.shp', 'b.dbf']);
      expect(new TextDecoder().decode(files.get('b.dbf'))).toBe('网格');
    }
  });

  it('never inflates an entry it does not want, a bomb or not', async () => {
    const zip = zipSync({ 'a.shp': strToU8('shape'), 'bomb.tif': [new Uint8Array(8 * MB), { level: 9 }] });
    const { names, files } = await readZipEntries(zip, { ...DEFAULT_ZIP_LIMITS, ratio: 2, inflatedBytes: MB }, (n) => n.endsWith('.shp'));
    expect(names).toEqual(['a.shp', 'bomb.tif']);
    expect([...files.keys()]).toEqual(['a.shp']);
  });

  it('refuses each limit with its own type and the entry', async () => {
    const zeros = zipSync({ 'a.dbf': [new Uint8Array(4 * MB), { level: 9 }] });
    await expect(readZipEntries(zeros, { ...DEFAULT_ZIP_LIMITS, ratio: 100 }, all)).rejects.toMatchObject({ type: 'compression-ratio', status: 422, parameter: 'a.dbf' });
    await expect(readZipEntries(zeros, { ...DEFAULT_ZIP_LIMITS, inflatedBytes: 3 * MB }, all)).rejects.toMatchObject({ type: 'payload-too-large', status: 413, parameter: 'a.dbf' });
    await expect(readZipEntries(zipSync({ a: strToU8('1'), b: strToU8('2'), c: strToU8('3') }), { ...DEFAULT_ZIP_LIMITS, entries: 2 }, all)).rejects.toMatchObject({ type: 'too-many-entries', status: 422 });
    await expect(readZipEntries(strToU8('not a zip'), DEFAULT_ZIP_LIMITS, all)).rejects.toMatchObject({ type: 'not-a-zip', status: 422 });
    await expect(readZipEntries(zipSync({ '../evil.shp': strToU8('x') }), DEFAULT_ZIP_LIMITS, all)).rejects.toMatchObject({ type: 'unsafe-zip-entry', status: 400, parameter: '../evil.shp' });
  });
});
