// The JSON batch path without JSON.parse: readJsonPairs reads a body of [lon, lat] pairs into the same batch (and
// the same doubles) as JSON.parse + readJsonPoints, and hands every other body back; jsonBatchAnswer streams
// the bytes JSON.stringify gives for the answer objects.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../server/domain/random.ts';
import { BATCH_LIMIT, BatchTooLarge, JsonPairs, decimalToDouble, readJsonPairs, readJsonPoints } from '../../../server/lookup/batch-input.ts';
import { jsonBatchAnswer } from '../../../server/lookup/batch-output.ts';
import type { LookupGrid } from '../../../server/domain/lookup/index.ts';

const read = (text: string) => readJsonPairs(Buffer.from(text));

function expectSameAsJsonParse(text: string): void {
  const pairs = read(text);
  expect(pairs).toBeInstanceOf(JsonPairs);
  const reference = readJsonPoints(JSON.parse(text) as unknown[]);
  expect(pairs!.size).toBe(reference.size);
  // Object.is tells -0 from 0 and compares NaN equal: the doubles must be the very same.
  for (let k = 0; k < reference.coords.length; k++) {
    if (!Object.is(pairs!.coords[k], reference.coords[k])) throw new Error(`pair ${k >> 1}: read ${pairs!.coords[k]}, JSON.parse gives ${reference.coords[k]}`);
  }
  expect([...pairs!.faults]).toEqual([...reference.faults]);
}

describe('decimalToDouble', () => {
  // 4294967296.000000476837158203125 = 2^32 + 2^-21, halfway between the doubles 2^32 and 2^32 + 2^-20.
  const significand = 4294967296000000;
  const tailOfMidpoint = 476837158203125;

  it('rounds a decimal of 16 to 31 digits like Number() when it is clear of a midpoint', () => {
    // 2^32 + 2^-20 = 4294967296.00000095367431640625, and 10^-21 more or less.
    expect(decimalToDouble(significand, 953674316406251, 15, -21)).toBe(2 ** 32 + 2 ** -20);
    expect(decimalToDouble(significand, 953674316406249, 15, -21)).toBe(2 ** 32 + 2 ** -20);
    expect(decimalToDouble(1223456789012345, 6, 1, -14)).toBe(Number('122.34567890123456'));
    expect(decimalToDouble(3001234567890123, 4, 1, -15)).toBe(Number('30.012345678901234'));
  });

  it('leaves a midpoint, and what it cannot bound, to Number()', () => {
    expect(decimalToDouble(significand, tailOfMidpoint, 15, -21)).toBeNaN();
    expect(Number('4294967296.000000476837158203125')).toBe(2 ** 32); // ties to even
    expect(decimalToDouble(1, 0, 0, 23)).toBeNaN();
    expect(decimalToDouble(significand, 1, 16, -21)).toBeNaN();
    expect(decimalToDouble(significand, 1, 1, 1)).toBeNaN();
  });
});

describe('readJsonPairs', () => {
  it('reads random doubles written every way JSON allows to the doubles JSON.parse gives', () => {
    const random = mulberry32(7);
    const spellings = [
      (v: number) => String(v),
      (v: number) => v.toFixed(Math.floor(random() * 18)),
      (v: number) => v.toExponential(Math.floor(random() * 20)),
      (v: number) => v.toPrecision(1 + Math.floor(random() * 21)),
      (v: number) => v.toExponential(3).toUpperCase().replace('E+', 'E'),
    ];
    const values = () => {
      const kind = random();
      if (kind < 0.5) return 121 + random() * 2;
      if (kind < 0.7) return (random() - 0.5) * 360;
      if (kind < 0.8) return Math.round((random() - 0.5) * 2000) / 8;
      if (kind < 0.9) return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      return -random() * 1e-7;
    };
    for (let round = 0; round < 50; round++) {
      const pairs = Array.from({ length: 400 }, () => {
        const spell = () => spellings[Math.floor(random() * spellings.length)](values());
        return `[${spell()},${spell()}]`;
      });
      expectSameAsJsonParse(`[${pairs.join(',')}]`);
    }
  });

  it('reads numbers at the edges of the exact path and past it', () => {
    const numbers = [
      '0', '-0', '0.0', '-0.0', '1e22', '1e23', '9007199254740992', '9007199254740993', '900719925474099.3', '0.1', '0.3',
      '123.45678901234567', '30.000000000000004', '1e-22', '1e-23', '5e-324', '2.2250738585072014e-308', '1.7976931348623157e308',
      '1e400', '-1e400', '0e0', '1E+2', '1e-0', '122.300000000000000000001', '0.000000000000000000000000001',
    ];
    for (const lon of numbers) expectSameAsJsonParse(`[[${lon}, 30], [122.3, ${lon}]]`);
  });

  it('reads decimals within a hair of the midpoint between two doubles as JSON.parse does', () => {
    // The exact midpoint between y and the next double up, (2·mantissa + 1)·2^(exponent − 1), written out in
    // decimal with BigInt, cut to 16–22 significant digits and nudged by one unit of the last digit either way.
    const random = mulberry32(3);
    const view = new DataView(new ArrayBuffer(8));
    const midpointDigits = (y: number): { digits: string; point: number } => {
      view.setFloat64(0, y);
      const bits = view.getBigUint64(0);
      const biased = Number(bits >> 52n);
      const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
      const shift = 1075 - biased + 1; // y = mantissa·2^-(shift − 1); the midpoint is (2·mantissa + 1)·2^-shift
      const scaled = (2n * mantissa + 1n) * 5n ** BigInt(shift); // the midpoint times 10^shift
      const digits = scaled.toString();
      return { digits, point: digits.length - shift };
    };
    const decimal = (digits: string, point: number) => `0.${digits}e${point}`;
    const texts: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const y = i % 2 ? 121 + random() * 2 : random() * 10 ** (Math.floor(random() * 8) - 5);
      const { digits, point } = midpointDigits(y);
      const cut = digits.slice(0, 16 + Math.floor(random() * 7));
      const nudged = (BigInt(cut) + BigInt(Math.floor(random() * 3) - 1)).toString().padStart(cut.length, '0');
      texts.push(decimal(cut, point), decimal(nudged, point), decimal(cut, point).replace(/^0\.(\d)/, '$1.').replace(/e(-?\d+)$/, (_, e) => `e${Number(e) - 1}`));
    }
    for (let k = 0; k < texts.length; k += 200) {
      const chunk = texts.slice(k, k + 200);
      expectSameAsJsonParse(`[${chunk.map((t, j) => (j % 2 ? `[1,${t}]` : `[${t},-${t}]`)).join(',')}]`);
    }
  });

  it('rounds exact midpoints between doubles to even, and their neighbours a unit of the 31st digit away, as JSON.parse does', () => {
    // Between 2^32 and 2^33 doubles are 2^-20 apart: a midpoint, (2·mantissa + 1)·2^-21, has 31 significant digits.
    const random = mulberry32(5);
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const odd = 2n * (2n ** 52n + BigInt(Math.floor(random() * 2 ** 52))) + 1n; // the midpoint times 2^21
      const digits = odd * 5n ** 21n; // times 10^21
      for (const nudge of [0n, 1n, -1n]) texts.push(`${digits + nudge}e-21`);
    }
    for (let k = 0; k < texts.length; k += 300) {
      expectSameAsJsonParse(`[${texts.slice(k, k + 300).map((t) => `[${t},-${t}]`).join(',')}]`);
    }
  });

  it('takes whitespace anywhere JSON does, and the empty array', () => {
    expectSameAsJsonParse(' \t\r\n[ [ 122.3 ,\n29.95 ] ,[-1,2]\n]\n ');
    expectSameAsJsonParse('[]');
    expectSameAsJsonParse('[ ]');
  });

  it('reports out-of-range points as faults, as readJsonPoints does', () => {
    expectSameAsJsonParse('[[190, 30], [122.3, -95], [1e400, 0], [122.3, 29.95]]');
  });

  it('hands every other body back: ids, objects, other shapes, malformed JSON and other number spellings', () => {
    for (const text of [
      '', ' ', '[', '[[1,2]', '[[1,2],]', '[[1,2]]x', '[[1,2] [3,4]]', '{"type":"FeatureCollection","features":[]}', '[{"id":1,"lon":2,"lat":3}]',
      '[[1,2],{"lon":1,"lat":2}]', '[[1,2,3]]', '[[1]]', '[[1,"2"]]', '[["x",30]]', '[[null,1]]', '[[01,2]]', '[[1.,2]]', '[[.5,2]]',
      '[[+1,2]]', '[[1e,2]]', '[[1e+,2]]', '[[-,2]]', '[[NaN,2]]', '[[Infinity,2]]', '[[0x10,2]]', '\uFEFF[[1,2]]', 'null', '[[1,2]]]',
    ]) {
      expect(read(text), text).toBeNull();
    }
  });

  it('refuses more pairs than the limit', () => {
    const pair = '[122.3,29.95]';
    expect(read(`[${Array(BATCH_LIMIT).fill(pair).join(',')}]`)?.size).toBe(BATCH_LIMIT);
    expect(() => read(`[${Array(BATCH_LIMIT + 1).fill(pair).join(',')}]`)).toThrow(BatchTooLarge);
  });
});

describe('jsonBatchAnswer', () => {
  const grid = (code: string, divisionCode = code.slice(0, 12)): LookupGrid => ({ code, name: `网格 ${code}`, kind: 'comprehensive', subkind: 'community', divisionCode });
  const grids = [grid('330903001001001'), grid('330903001001001"01'), grid('330903001099800'), grid('330903001099801'), grid('330903001002001')];
  // Point 0 in a grid, 1 with a micro-grid and two sea grids, 2 in no grid, 3 faulted, 4 in a grid without a village.
  const result = {
    land: Int32Array.of(0, 0, -1, -1, 4),
    micro: Int32Array.of(-1, 1, -1, -1, -1),
    seaStart: Int32Array.of(0, 0, 2, 3, 3, 3),
    sea: Int32Array.of(2, 3, 2),
    grids,
  };
  const villageCode = (g: LookupGrid) => (g.code === '330903001002001' ? null : g.divisionCode);
  const batch = { coords: new Float64Array(10), faults: new Map([[3, 'lon is not a number']]), size: 5 };
  const text = async (stream: AsyncIterable<Buffer>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };
  const expected = (ids: unknown[]) =>
    JSON.stringify({
      count: 5,
      results: [
        { gridCode: '330903001001001', microGridCode: null, villageCode: '330903001001', seaGridCodes: [] },
        { gridCode: '330903001001001', microGridCode: '330903001001001"01', villageCode: '330903001001', seaGridCodes: ['330903001099800', '330903001099801'] },
        { gridCode: null, microGridCode: null, villageCode: null, seaGridCodes: ['330903001099800'] },
        { gridCode: null, microGridCode: null, villageCode: null, seaGridCodes: [], error: 'lon is not a number' },
        { gridCode: '330903001002001', microGridCode: null, villageCode: null, seaGridCodes: [] },
      ].map((answer, i) => (ids[i] === undefined ? answer : { id: ids[i], ...answer })),
      errors: [{ pointer: '/3', message: 'lon is not a number' }],
    });

  it('writes the bytes JSON.stringify gives for the answers, in input order', async () => {
    expect(await text(jsonBatchAnswer(batch, result, { villageCode }))).toBe(expected([]));
  });

  it('writes each point\'s id first when it came with one', async () => {
    const ids = ['a', 7, undefined, { case: '案-1' }, 'é"\n'];
    expect(await text(jsonBatchAnswer(batch, result, { villageCode, idOf: (i) => ids[i] }))).toBe(expected(ids));
  });

  it('answers across many chunks, and grows one for a piece larger than a chunk', async () => {
    const many = 3000;
    const land = Int32Array.from({ length: many }, (_, i) => (i % 3 === 0 ? -1 : i % 2));
    const wide = { ...result, land, micro: new Int32Array(many).fill(-1), seaStart: new Int32Array(many + 1), sea: new Int32Array(0) };
    const ids = Array.from({ length: many }, (_, i) => (i === 1500 ? '长'.repeat(40_000) : i));
    const chunks: Buffer[] = [];
    for await (const chunk of jsonBatchAnswer({ coords: new Float64Array(2 * many), faults: new Map(), size: many }, wide, { villageCode, idOf: (i) => ids[i] })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(3);
    const answer = (g: number) =>
      g < 0
        ? { gridCode: null, microGridCode: null, villageCode: null, seaGridCodes: [] }
        : { gridCode: grids[g].code, microGridCode: null, villageCode: grids[g].divisionCode, seaGridCodes: [] };
    expect(Buffer.concat(chunks).toString('utf8')).toBe(JSON.stringify({ count: many, results: [...land].map((g, i) => ({ id: ids[i], ...answer(g) })), errors: [] }));
  });
});
