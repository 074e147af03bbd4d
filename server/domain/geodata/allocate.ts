// Integer shares of a total, for spreading households over villages and points.

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
