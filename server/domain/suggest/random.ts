// Seeded PRNG so a suggestion is reproducible from its seed.

/** mulberry32: small, fast, good enough for seeding and shuffles. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Weighted k-means on points (planar, x pre-scaled by cos(lat)); k-means++ start. Returns centres. */
export function weightedKMeans(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  weights: ArrayLike<number>,
  k: number,
  random: () => number,
  iterations = 8,
): Array<[number, number]> {
  const n = xs.length;
  const centres: Array<[number, number]> = [];
  const nearest = new Float64Array(n).fill(Infinity);
  const pick = (scores: ArrayLike<number>): number => {
    let total = 0;
    for (let i = 0; i < n; i++) total += scores[i];
    let r = random() * total;
    for (let i = 0; i < n; i++) {
      r -= scores[i];
      if (r <= 0 && scores[i] > 0) return i;
    }
    for (let i = n - 1; i >= 0; i--) if (scores[i] > 0) return i;
    return 0;
  };
  let first = pick(weights);
  centres.push([xs[first], ys[first]]);
  const scores = new Float64Array(n);
  while (centres.length < k) {
    const [cx, cy] = centres[centres.length - 1];
    for (let i = 0; i < n; i++) {
      const d = (xs[i] - cx) ** 2 + (ys[i] - cy) ** 2;
      if (d < nearest[i]) nearest[i] = d;
      scores[i] = nearest[i] * weights[i];
    }
    first = pick(scores);
    centres.push([xs[first], ys[first]]);
  }
  const label = new Int32Array(n);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (xs[i] - centres[c][0]) ** 2 + (ys[i] - centres[c][1]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      label[i] = best;
    }
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const sw = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      sx[label[i]] += xs[i] * weights[i];
      sy[label[i]] += ys[i] * weights[i];
      sw[label[i]] += weights[i];
    }
    for (let c = 0; c < k; c++) if (sw[c] > 0) centres[c] = [sx[c] / sw[c], sy[c] / sw[c]];
  }
  return centres;
}
