// What a filing's hash covers: the filing's own facts and the grid versions of its township (and scope) in force
// right after it, each with the attributes the API serves. Filing builds it from the rows it just wrote; verify
// rebuilds it from the rows as they are now. One builder for both, so the two cannot drift apart.
import type { GridKind } from '../../schemas/resources.ts';

/** The columns of the filing row the hash covers, in the order a divergence is looked for. */
export const FILING_FACT_FIELDS = ['number', 'townshipCode', 'scope', 'filedAt', 'approvedBy', 'filedBy', 'trigger'] as const;
/** The attributes of each grid version the hash covers (after its code), in the order a divergence is looked for. */
export const SNAPSHOT_GRID_FIELDS = ['version', 'name', 'kind', 'subkind', 'divisionCode', 'parentCode', 'households', 'population', 'geometry'] as const;

export interface FilingFacts {
  number: string;
  townshipCode: string;
  scope: 'land' | 'maritime';
  /** ISO 8601 instant. */
  filedAt: string;
  approvedBy: string | null;
  filedBy: string;
  trigger: string;
}

/** A grid version as a snapshot records it; geometry is GeoJSON at 7 decimals (ST_AsGeoJSON(geom, 7)). */
export interface SnapshotGrid {
  code: string;
  version: number;
  name: string;
  kind: GridKind;
  subkind: string | null;
  divisionCode: string;
  parentCode: string | null;
  households: number;
  population: number;
  geometry: unknown;
}

export interface FilingSnapshot extends FilingFacts {
  grids: SnapshotGrid[];
}

/** The canonical snapshot: exactly the covered fields, grids in code order (code points, as any collation of digits). */
export function filingSnapshot(facts: FilingFacts, grids: readonly SnapshotGrid[]): FilingSnapshot {
  const { number, townshipCode, scope, filedAt, approvedBy, filedBy, trigger } = facts;
  return {
    number,
    townshipCode,
    scope,
    filedAt,
    approvedBy,
    filedBy,
    trigger,
    grids: grids
      .map(({ code, version, name, kind, subkind, divisionCode, parentCode, households, population, geometry }) => ({
        code,
        version,
        name,
        kind,
        subkind,
        divisionCode,
        parentCode,
        households,
        population,
        geometry,
      }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.version - b.version)),
  };
}

/**
 * The calendar date in China (UTC+8) on which a filing takes effect: its grid versions are valid from it.
 * @example chinaDate(new Date('2026-03-01T17:00:00Z')) // '2026-03-02'
 */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
