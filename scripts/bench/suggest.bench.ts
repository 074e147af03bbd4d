// Benchmark of suggestPartition against the k-means + Voronoi baseline on the same data, same run.
// One township (六横镇 from the Zhoushan demo data, or a synthetic 20,000-household township when the
// data is absent), then the whole demo village by village. Prints one JSON line.
import { kmeansVoronoiPartition } from '../../server/domain/suggest/baseline.ts';
import { suggestPartition } from '../../server/domain/suggest/partition.ts';
import { SuggestError, type QualityReport, type SuggestInput, type SuggestResult } from '../../server/domain/suggest/types.ts';
import { clusteredHouseholds, syntheticDivision } from '../../test/unit/suggest/synthetic.ts';
import { householdsUnder, loadZhoushan, zhoushanAvailable } from '../../test/unit/suggest/zhoushan-data.ts';

const peak = { rssMb: 0, heapUsedMb: 0 };
function sampleMemory(): void {
  const m = process.memoryUsage();
  peak.rssMb = Math.max(peak.rssMb, Math.round(m.rss / 2 ** 20));
  peak.heapUsedMb = Math.max(peak.heapUsedMb, Math.round(m.heapUsed / 2 ** 20));
}

function summary(r: QualityReport) {
  return {
    grids: r.grids,
    shareInBand: +r.shareInBand.toFixed(3),
    households: r.households,
    contiguity: +r.contiguity.toFixed(3),
    polsbyPopperMean: +r.compactness.polsbyPopperMean.toFixed(3),
    polsbyPopperMin: +r.compactness.polsbyPopperMin.toFixed(3),
    coverageErrorM2: +r.coverageErrorM2.toFixed(2),
    runtimeMs: r.runtimeMs,
  };
}

function timed(run: () => SuggestResult): { ms: number; report: QualityReport } {
  const t = performance.now();
  const { report } = run();
  sampleMemory();
  return { ms: Math.round(performance.now() - t), report };
}

const data = zhoushanAvailable ? loadZhoushan() : null;
let township: SuggestInput;
if (data) {
  const code = '330903100000';
  const division = data.divisions.find((d) => d.code === code)!;
  township = { division: { code, geometry: division.geometry }, households: householdsUnder(data, code), islands: data.islands, seed: 1 };
} else {
  const geometry = syntheticDivision('two-parts', 1, 0.04);
  township = { division: { code: '330903100000', geometry }, households: clusteredHouseholds(geometry, 20_000, 1, { skipParts: [2] }), seed: 1 };
}
suggestPartition(township); // warm-up: JIT and h3 wasm
const suggestTownship = timed(() => suggestPartition(township));
const baselineTownship = timed(() => kmeansVoronoiPartition(township));

// Whole demo: every village with household points, one suggestion each.
const villages: SuggestInput[] = [];
if (data) {
  for (const d of data.divisions.filter((x) => x.level === 'village')) {
    const households = data.households.get(d.code) ?? [];
    if (households.length > 0) villages.push({ division: { code: d.code, geometry: d.geometry }, households, islands: data.islands, seed: 1 });
  }
} else {
  for (let i = 0; i < 400; i++) {
    const geometry = syntheticDivision(i % 2 ? 'hole' : 'two-parts', i + 1, 0.008);
    villages.push({ division: { code: String(330903100001 + i), geometry }, households: clusteredHouseholds(geometry, 1125, i + 1, { clusters: 2, skipParts: [2] }), seed: 1 });
  }
}

function demo(run: (input: SuggestInput) => SuggestResult) {
  const t = performance.now();
  let grids = 0;
  let inBand = 0;
  let ppSum = 0;
  let households = 0;
  let contiguous = 0;
  let rejected = 0;
  let worstCoverageM2 = 0;
  for (const v of villages) {
    try {
      const { report } = run(v);
      grids += report.grids;
      inBand += report.shareInBand * report.grids;
      ppSum += report.compactness.polsbyPopperMean * report.grids;
      contiguous += report.contiguity * report.grids;
      households += report.households.total;
      worstCoverageM2 = Math.max(worstCoverageM2, report.coverageErrorM2);
    } catch (e) {
      if (!(e instanceof SuggestError)) throw e;
      rejected++;
    }
    sampleMemory();
  }
  return {
    ms: Math.round(performance.now() - t),
    villages: villages.length,
    rejected,
    households,
    grids,
    shareInBand: +(inBand / grids).toFixed(3),
    contiguity: +(contiguous / grids).toFixed(3),
    polsbyPopperMean: +(ppSum / grids).toFixed(3),
    worstCoverageErrorM2: +worstCoverageM2.toFixed(2),
  };
}
const suggestDemo = demo((v) => suggestPartition(v));
const baselineDemo = demo((v) => kmeansVoronoiPartition(v));

console.log(
  JSON.stringify({
    bench: 'suggest',
    data: data ? 'zhoushan-demo' : 'synthetic',
    township: {
      code: township.division.code,
      points: township.households.length,
      suggest: { ms: suggestTownship.ms, ...summary(suggestTownship.report) },
      baseline: { ms: baselineTownship.ms, ...summary(baselineTownship.report) },
      ratio: {
        time: +(suggestTownship.ms / baselineTownship.ms).toFixed(2),
        shareInBand: +(suggestTownship.report.shareInBand / baselineTownship.report.shareInBand).toFixed(2),
        polsbyPopperMean: +(suggestTownship.report.compactness.polsbyPopperMean / baselineTownship.report.compactness.polsbyPopperMean).toFixed(2),
      },
      targetMs: 2000,
    },
    demo: {
      suggest: suggestDemo,
      baseline: baselineDemo,
      ratio: { time: +(suggestDemo.ms / baselineDemo.ms).toFixed(2), shareInBand: +(suggestDemo.shareInBand / baselineDemo.shareInBand).toFixed(2) },
      targetMs: 60_000,
    },
    memoryPeak: peak,
  }),
);
