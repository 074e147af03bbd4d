import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../../web/src/api/client.ts';
import { planListing } from '../../../web/src/plan/listing.ts';
import { planGridBody } from '../../../web/src/plan/session.ts';
import type { PlanGrid } from '../../../web/src/api/client.ts';

function plan(id: string, townshipCode: string, status: PlanView['status'], allowedTransitions: string[], updatedAt: string): PlanView {
  return {
    id,
    townshipCode,
    scope: 'land',
    baseFiling: null,
    trigger: 'scale_change',
    triggerNote: null,
    description: '',
    status,
    createdBy: 'demo-planner',
    report: null,
    comments: [],
    version: 1,
    createdAt: updatedAt,
    updatedAt,
    allowedTransitions,
  };
}

const plans = [
  plan('1', '330903001000', 'filed', [], '2026-11-20T08:00:00Z'),
  plan('2', '330903001000', 'submitted', ['approve', 'return'], '2026-11-21T08:00:00Z'),
  plan('3', '330903003000', 'draft', ['submit'], '2026-11-22T08:00:00Z'),
  plan('4', '330903001000', 'approved', ['file'], '2026-11-19T08:00:00Z'),
];

describe('plan listing', () => {
  it('puts the plans awaiting the role first, then the most recently changed', () => {
    expect(planListing(plans, 'demo-reviewer', null).map((r) => [r.id, r.awaitsRole])).toEqual([
      ['2', true],
      ['3', false],
      ['1', false],
      ['4', false],
    ]);
    expect(planListing(plans, 'demo-registrar', null)[0]).toMatchObject({ id: '4', status: 'approved', awaitsRole: true });
  });

  it('keeps to the chosen township', () => {
    expect(planListing(plans, 'demo-planner', '330903003000').map((r) => r.id)).toEqual(['3']);
  });
});

describe('plan grid body', () => {
  it('writes a grid back as read, with a new outline and without what the server keeps itself', () => {
    const grid = {
      type: 'Feature',
      id: '17',
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
      properties: {
        code: '330903001001001',
        name: '网格 1',
        kind: 'comprehensive',
        subkind: 'community',
        divisionCode: '330903001001',
        parentCode: null,
        households: 420,
        population: 1100,
        managingUnits: [],
        staff: [],
        status: 'proposed',
        planGridId: '17',
      },
    } as unknown as PlanGrid;
    const outline = { type: 'Polygon' as const, coordinates: [[[0, 0], [2, 0], [2, 2], [0, 0]]] };
    const body = planGridBody(grid, outline);
    expect(body.geometry).toBe(outline);
    expect(body.properties).toEqual({
      code: '330903001001001',
      name: '网格 1',
      kind: 'comprehensive',
      subkind: 'community',
      divisionCode: '330903001001',
      parentCode: null,
      households: 420,
      population: 1100,
      managingUnits: [],
      staff: [],
    });
  });
});
