import { describe, expect, it } from 'vitest';
import { assignIslandsToCounties } from '../../../server/domain/geodata/counties.ts';
import { island } from './fixture.ts';

describe('assignIslandsToCounties', () => {
  const anchors = [
    { countyCode: '330902000000', area: island(1) },
    { countyCode: null, area: island(4) },
  ];
  const islands = [2, 3, 5].map((id) => ({ id, polygon: island(id) }));

  it('gives each island the county of the nearest anchor, and null near foreign land', () => {
    const result = assignIslandsToCounties(islands, anchors);
    expect(result.get(2)).toBe('330902000000');
    expect(result.get(5)).toBe('330902000000');
    expect(result.get(3)).toBeNull();
  });

  it('lets an override win over distance', () => {
    const result = assignIslandsToCounties(islands, anchors, new Map([[3, '330922000000']]));
    expect(result.get(3)).toBe('330922000000');
  });
});
