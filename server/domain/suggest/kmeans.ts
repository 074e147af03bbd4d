// Weighted k-means, used to place the power diagram's first centres and by the k-means + Voronoi baseline.

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
