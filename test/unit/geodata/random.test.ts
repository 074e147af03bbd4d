import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../server/domain/random.ts';
import { allocateIntegers } from '../../../server/domain/geodata/allocate.ts';

describe('mulberry32', () => {
  it('repeats for the same seed, differs for another, stays in [0, 1)', () => {
    const a = Array.from({ length: 1000 }, mulberry32(7));
    const b = Array.from({ length: 1000 }, mulberry32(7));
    const c = Array.from({ length: 1000 }, mulberry32(8));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(a.reduce((s, x) => s + x, 0) / a.length).toBeCloseTo(0.5, 1);
  });
});

describe('allocateIntegers', () => {
  it('splits a total into integer shares that add up exactly, in proportion', () => {
    expect(allocateIntegers(10, [1, 1, 1])).toEqual([4, 3, 3]);
    const shares = allocateIntegers(1001, [0.5, 2, 7.25, 0.01]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1001);
    expect(shares[2]).toBeGreaterThan(shares[1]);
    expect(() => allocateIntegers(3, [0, 0])).toThrow();
  });
});
