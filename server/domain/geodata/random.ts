// Seeded randomness for synthetic demo data: the same seed must always give the same files.

export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, good enough for demo data and fully reproducible.
 * @example const random = mulberry32(20240601); random(); // 0 <= x < 1
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * Splits an integer total into integer shares proportional to weights (largest remainder), so the shares sum to the total exactly.
 * @example allocateIntegers(10, [1, 1, 1]); // [4, 3, 3]
 */
export function allocateIntegers(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) throw new Error('allocateIntegers: weights must have a positive sum');
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let rest = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let j = 0; rest > 0; j = (j + 1) % order.length, rest--) shares[order[j].i]++;
  return shares;
}
