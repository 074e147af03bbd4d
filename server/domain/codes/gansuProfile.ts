import { sequenceProfile } from './sequenceProfile.ts';

/**
 * Placeholder for Gansu's provincial grid code scheme (甘肃省 measures: "unique codes issued under a provincial
 * scheme"). The scheme itself is not in the regulations at hand, so this keeps the default layout and ranges and
 * only drops the maritime range (an inland province has no sea grids). Replacing it needs, from the provincial
 * specification: the code length and prefix (division code or a provincial grid-unit code), the sequence ranges
 * per grid kind, the micro-grid suffix, and the order in which numbers are handed out. If the layout is not
 * <division code><sequence>[<micro>], implement CodeProfile directly instead of calling sequenceProfile.
 */
export const gansuProfile = sequenceProfile({
  name: 'gansu',
  title: { zh: '甘肃省编码方案（占位，待省级规范）', en: 'Gansu (placeholder until the provincial specification)' },
  sequenceDigits: 3,
  microDigits: 2,
  ranges: {
    comprehensive: { first: 1, last: 499 },
    special: { first: 500, last: 799 },
    maritime: null,
  },
  microRange: { first: 1, last: 99 },
});
