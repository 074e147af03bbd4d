// Tamper evidence without a database: a small registry is filed the way filePartition files it (versions opened
// and closed by filings, snapshots hashed into a chain), then edited the ways an attacker with SQL access could.
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { snapshotHash } from '../../../server/domain/filings/chain.ts';
import {
  brokenLink,
  chainHead,
  chainVerdict,
  headDivergence,
  servedDivergence,
  unrecordedVersion,
  type ChainFiling,
  type FiledGridVersion,
} from '../../../server/domain/filings/evidence.ts';
import { chinaDate, filingSnapshot, type FilingFacts, type SnapshotGrid } from '../../../server/domain/filings/snapshot.ts';

const square = (x: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, 30], [x + 0.01, 30], [x + 0.01, 30.01], [x, 30.01], [x, 30]]] });
const grid = (code: string, x: number, overrides: Partial<SnapshotGrid> = {}): SnapshotGrid => ({
  code,
  version: 1,
  name: `网格${code.slice(-3)}`,
  kind: 'comprehensive',
  subkind: 'community',
  divisionCode: `${code.slice(0, 12)}`,
  parentCode: null,
  households: 400,
  population: 800,
  geometry: square(x),
  ...overrides,
});

const A = '330903996000';
const B = '330903997000';
const codeIn = (township: string, n: number) => `${township.slice(0, 9)}001${String(n).padStart(3, '0')}`;

/** A registry filed the way filePartition does it. */
class Registry {
  filings: ChainFiling[] = [];
  versions: FiledGridVersion[] = [];

  /** Files `township`: closes the versions of `close` in force and opens `open` as their next versions. */
  file(township: string, filedAt: string, open: SnapshotGrid[], close: string[] = [], people = { approvedBy: '审核员', filedBy: '备案员' }): string {
    const number = `BA2026-${String(this.filings.length + 1).padStart(5, '0')}`;
    const day = chinaDate(new Date(filedAt));
    for (const v of this.versions) {
      if (v.closedBy === null && (close.includes(v.code) || open.some((g) => g.code === v.code))) Object.assign(v, { closedBy: number, validTo: day });
    }
    for (const g of open) {
      const previous = this.versions.filter((v) => v.code === g.code).length;
      this.versions.push({ ...g, version: previous + 1, filingNumber: number, closedBy: null, validFrom: day, validTo: null, footprintAt: null });
    }
    const facts: FilingFacts = { number, townshipCode: township, scope: 'land', filedAt, trigger: 'other', ...people };
    const inForce = this.versions.filter((v) => v.closedBy === null && v.divisionCode.startsWith(township.slice(0, 9)));
    const previousSha256 = this.filings.at(-1)?.snapshotSha256 ?? null;
    const snapshot = JSON.parse(JSON.stringify(filingSnapshot(facts, inForce)));
    this.filings.push({ ...facts, chainSeq: this.filings.length + 1, snapshot, snapshotSha256: snapshotHash(snapshot, previousSha256), previousSha256 });
    return number;
  }

  version(code: string, version: number): FiledGridVersion {
    return this.versions.find((v) => v.code === code && v.version === version)!;
  }

  /** The verdict as the repository assembles it: links, each township's served content, unrecorded versions, head. */
  verdict(published?: { sha256: string; number?: string }) {
    const numbers = new Set(this.filings.map((f) => f.number));
    const townships = [...new Set(this.filings.map((f) => f.townshipCode))];
    const located = [
      brokenLink(this.filings),
      ...townships.map((t) => {
        const group = this.filings.filter((f) => f.townshipCode === t);
        const created = new Set(group.map((f) => f.number));
        return servedDivergence(group, this.versions.filter((v) => v.filingNumber !== null && created.has(v.filingNumber)), numbers);
      }),
    ];
    return chainVerdict(this.filings, located, unrecordedVersion(this.versions, numbers), published);
  }
}

/** A1 (two grids), B1, A2 (reshapes grid 2), A3 the same day (renames grid 2): grid 2 version 2 is valid for no day. */
function registry() {
  const r = new Registry();
  const a1 = r.file(A, '2026-03-01T02:00:00.000Z', [grid(codeIn(A, 1), 0), grid(codeIn(A, 2), 1)]);
  const b1 = r.file(B, '2026-03-01T03:00:00.000Z', [grid(codeIn(B, 1), 5)]);
  const a2 = r.file(A, '2026-03-02T02:00:00.000Z', [grid(codeIn(A, 2), 1.5)]);
  const a3 = r.file(A, '2026-03-02T05:00:00.000Z', [grid(codeIn(A, 2), 1.5, { name: '改名网格' })]);
  return { r, a1, b1, a2, a3 };
}

describe('tamper evidence for what the registry serves', () => {
  it('verifies an untampered registry, including a version that was in force for no day', () => {
    const { r, a3 } = registry();
    expect(r.version(codeIn(A, 2), 2)).toMatchObject({ validFrom: '2026-03-02', validTo: '2026-03-02' });
    expect(r.verdict()).toEqual({ ok: true, checked: 4, head: { number: a3, chainSeq: 4, sha256: r.filings[3].snapshotSha256, filedAt: '2026-03-02T05:00:00.000Z' } });
  });

  it.each([
    ['geometry', (v: FiledGridVersion): void => { v.geometry = square(0.0001); }],
    ['name', (v: FiledGridVersion): void => { v.name = '别的名字'; }],
    ['households', (v: FiledGridVersion): void => { v.households += 1; }],
    ['population', (v: FiledGridVersion): void => { v.population = 0; }],
    ['divisionCode', (v: FiledGridVersion): void => { v.divisionCode = '330903996002'; }],
    ['parentCode', (v: FiledGridVersion): void => { v.parentCode = codeIn(A, 2); }],
  ] as const)('names the filing and grid whose %s was edited: the first filing the version is in force after', (field, edit) => {
    const { r, a1 } = registry();
    edit(r.version(codeIn(A, 1), 1));
    expect(r.verdict()).toMatchObject({ ok: false, brokenAt: a1, grid: codeIn(A, 1), field, checked: 0 });
  });

  it('tells apart two filings of one day by the chain: an edit of the version the second one closed names the first', () => {
    const { r, a2 } = registry();
    r.version(codeIn(A, 2), 2).name = '别的名字';
    expect(r.verdict()).toMatchObject({ ok: false, brokenAt: a2, grid: codeIn(A, 2), field: 'name' });
  });

  it.each([
    ['approvedBy', (f: ChainFiling): void => { f.approvedBy = '别人'; }],
    ['filedBy', (f: ChainFiling): void => { f.filedBy = '别人'; }],
    ['filedAt', (f: ChainFiling): void => { f.filedAt = '2026-03-01T02:59:00.000Z'; }],
    ['trigger', (f: ChainFiling): void => { f.trigger = 'initial'; }],
  ] as const)("names a filing whose %s was rewritten", (field, edit) => {
    const { r, b1 } = registry();
    edit(r.filings[1]);
    expect(r.verdict()).toMatchObject({ ok: false, brokenAt: b1, field, checked: 1 });
  });

  it('names a grid that left the partition in force, or one that joined it', () => {
    const hidden = registry();
    hidden.r.version(codeIn(A, 1), 1).closedBy = hidden.a2;
    expect(hidden.r.verdict()).toMatchObject({ ok: false, brokenAt: hidden.a2, grid: codeIn(A, 1), field: 'grid', reason: expect.stringContaining('no longer') });

    const added = registry();
    added.r.versions.push({ ...added.r.version(codeIn(A, 1), 1), code: codeIn(A, 9) });
    expect(added.r.verdict()).toMatchObject({ ok: false, brokenAt: added.a1, grid: codeIn(A, 9), field: 'grid', reason: expect.stringContaining('not in it') });
  });

  it('checks validity dates against the filings that opened and closed each version', () => {
    const ended = registry();
    ended.r.version(codeIn(A, 1), 1).validTo = '2026-04-01';
    expect(ended.r.verdict()).toMatchObject({ ok: false, brokenAt: ended.a1, grid: codeIn(A, 1), field: 'validTo' });

    const early = registry();
    early.r.version(codeIn(B, 1), 1).validFrom = '2026-01-01';
    expect(early.r.verdict()).toMatchObject({ ok: false, brokenAt: early.b1, grid: codeIn(B, 1), field: 'validFrom' });

    const reopened = registry();
    reopened.r.version(codeIn(A, 2), 1).validTo = '2026-03-05';
    expect(reopened.r.verdict()).toMatchObject({ ok: false, brokenAt: reopened.a2, grid: codeIn(A, 2), field: 'validTo' });
  });

  it('names versions no filing in the chain accounts for', () => {
    const unfiled = registry();
    unfiled.r.versions.push({ ...unfiled.r.version(codeIn(A, 1), 1), code: codeIn(A, 8), filingNumber: null });
    const verdict = unfiled.r.verdict();
    expect(verdict).toMatchObject({ ok: false, grid: codeIn(A, 8), field: 'filingNumber', checked: 4 });
    expect(verdict).not.toHaveProperty('brokenAt');

    const removed = registry();
    removed.r.filings.pop();
    expect(removed.r.verdict()).toMatchObject({ ok: false, brokenAt: removed.a3, grid: codeIn(A, 2), reason: expect.stringContaining('no longer contains') });
  });

  it('shows a removed newest filing, its rows rolled back, only against a published head', () => {
    const { r, a2, a3 } = registry();
    const published = chainHead(r.filings)!;
    r.filings.pop();
    r.versions = r.versions.filter((v) => v.filingNumber !== a3);
    Object.assign(r.version(codeIn(A, 2), 2), { closedBy: null, validTo: null });
    expect(r.verdict()).toMatchObject({ ok: true, head: { number: a2 } });
    expect(r.verdict({ sha256: published.sha256, number: published.number })).toMatchObject({
      ok: false,
      brokenAt: a3,
      reason: expect.stringMatching(/no longer contains .*ends at BA2026-00003 \(sequence 3\)/),
    });
    expect(r.verdict({ sha256: published.sha256 })).toMatchObject({ ok: false, reason: expect.stringContaining(published.sha256) });
  });

  it('checks a published head by hash and number', () => {
    const { r, a2, a3 } = registry();
    const head = chainHead(r.filings)!;
    expect(headDivergence(r.filings, { sha256: head.sha256, number: head.number })).toBeNull();
    expect(headDivergence(r.filings, { sha256: r.filings[2].snapshotSha256 })).toBeNull();
    expect(headDivergence(r.filings, { sha256: head.sha256, number: a2 })).toMatchObject({ number: a2, field: 'number' });
    expect(headDivergence(r.filings, { sha256: 'f'.repeat(64), number: a3 })).toMatchObject({ number: a3, field: 'sha256' });
    expect(headDivergence([], { sha256: head.sha256 })).toMatchObject({ reason: expect.stringContaining('no filing') });
  });

  it("does not hold a vessel formation's derived footprint against its filing, but anything else of it", () => {
    const r = new Registry();
    const code = codeIn(A, 1);
    r.file(A, '2026-03-01T02:00:00.000Z', [grid(code, 0, { kind: 'maritime', subkind: 'vessel_formation' })]);
    const formation = r.version(code, 1);
    Object.assign(formation, { geometry: square(3), footprintAt: '2026-03-03T00:00:00.000Z' });
    expect(r.verdict()).toMatchObject({ ok: true });
    formation.name = '别的船队';
    expect(r.verdict()).toMatchObject({ ok: false, grid: code, field: 'name' });

    const moved = registry();
    Object.assign(moved.r.version(codeIn(A, 1), 1), { geometry: square(3), footprintAt: '2026-03-03T00:00:00.000Z' });
    expect(moved.r.verdict()).toMatchObject({ ok: false, grid: codeIn(A, 1), field: 'geometry' });
  });

  it('reports the divergence earliest in the chain, a broken link before a served difference of the same filing', () => {
    const { r, a1, b1, a2 } = registry();
    r.version(codeIn(A, 2), 2).households = 1;
    r.filings[1].filedBy = '别人';
    expect(r.verdict()).toMatchObject({ brokenAt: b1, field: 'filedBy' });
    r.filings[0].snapshot = { ...(r.filings[0].snapshot as object), filedBy: '别人' };
    expect(r.verdict()).toMatchObject({ brokenAt: a1, field: 'snapshot' });

    for (const junk of [null, 'x', { grids: 'x' }]) {
      const edited = registry();
      edited.r.filings[2].snapshot = junk;
      expect(edited.r.verdict()).toMatchObject({ ok: false, brokenAt: a2, field: 'snapshot' });
    }

    const middle = registry();
    middle.r.filings.splice(1, 1);
    expect(middle.r.verdict()).toMatchObject({ brokenAt: a2, field: 'previousSha256', checked: 1 });
  });
});
