import { sequenceProfile } from './sequenceProfile.ts';

/**
 * DESIGN.md "Grid codes": 12-digit village/community code + 3-digit sequence. Comprehensive 001–499, special 500–799,
 * maritime 800–999 (maritime and township-level special grids use the township code as the 12 digits);
 * micro-grid = grid code + 2 digits 01–99.
 * @example defaultProfile.allocate({ divisionCode: '330902001001', kind: 'comprehensive', grids: [{ centroid: [122.1, 30] }], taken: new Set() }) // ['330902001001001']
 */
export const defaultProfile = sequenceProfile({
  name: 'default',
  title: { zh: '默认编码方案（12位区划代码+3位序号）', en: 'default: 12-digit division code + 3-digit sequence' },
  sequenceDigits: 3,
  microDigits: 2,
  ranges: {
    comprehensive: { first: 1, last: 499 },
    special: { first: 500, last: 799 },
    maritime: { first: 800, last: 999 },
  },
  microRange: { first: 1, last: 99 },
});
