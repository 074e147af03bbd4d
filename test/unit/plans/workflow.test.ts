import { describe, expect, it } from 'vitest';
import { allowedTransitions, isEditable, nextStatus, PLAN_STATUSES, PLAN_TRANSITIONS } from '../../../server/domain/plans/status.ts';
import { canonicalJson, snapshotHash, verifyChain, type ChainLink } from '../../../server/domain/filings/chain.ts';

describe('plan status machine', () => {
  it('follows draft → submitted → approved → filed, and returned → submitted', () => {
    expect(nextStatus('draft', 'submit')).toBe('submitted');
    expect(nextStatus('submitted', 'return')).toBe('returned');
    expect(nextStatus('returned', 'submit')).toBe('submitted');
    expect(nextStatus('submitted', 'approve')).toBe('approved');
    expect(nextStatus('approved', 'file')).toBe('filed');
  });

  it('refuses every other transition and lists what is allowed', () => {
    const legal = new Set(['draft:submit', 'returned:submit', 'submitted:approve', 'submitted:return', 'approved:file']);
    for (const status of PLAN_STATUSES) {
      for (const transition of PLAN_TRANSITIONS) {
        const key = `${status}:${transition}`;
        expect(nextStatus(status, transition) !== null, key).toBe(legal.has(key));
        expect(allowedTransitions(status).includes(transition), key).toBe(legal.has(key));
      }
    }
  });

  it('lets only drafts and returned plans be edited', () => {
    expect(PLAN_STATUSES.filter(isEditable)).toEqual(['draft', 'returned']);
  });
});

describe('filing hash chain', () => {
  const chain = (): ChainLink[] => {
    const links: ChainLink[] = [];
    let previous: string | null = null;
    for (const n of [1, 2, 3]) {
      const snapshot = { number: `F${n}`, grids: [{ code: `33090300100100${n}`, households: 400 + n }] };
      const hash = snapshotHash(snapshot, previous);
      links.push({ number: `F${n}`, snapshot, snapshotSha256: hash, previousSha256: previous });
      previous = hash;
    }
    return links;
  };

  it('hashes canonical JSON: key order does not matter, content does', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(snapshotHash({ a: 1, b: 2 }, null)).toBe(snapshotHash({ b: 2, a: 1 }, null));
    expect(snapshotHash({ a: 1 }, null)).not.toBe(snapshotHash({ a: 2 }, null));
  });

  it('verifies an intact chain', () => {
    expect(verifyChain(chain())).toEqual({ ok: true, checked: 3 });
  });

  it('detects a tampered snapshot and a relinked record', () => {
    const tampered = chain();
    (tampered[1].snapshot as { grids: { households: number }[] }).grids[0].households = 999;
    expect(verifyChain(tampered)).toMatchObject({ ok: false, brokenAt: 'F2', reason: expect.stringContaining('content') });
    const relinked = chain();
    relinked[2].previousSha256 = relinked[0].snapshotSha256;
    expect(verifyChain(relinked)).toMatchObject({ ok: false, brokenAt: 'F3' });
  });
});
