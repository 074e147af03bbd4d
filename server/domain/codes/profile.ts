// A code profile is how one jurisdiction writes grid codes. Rules check codes through it, the data layer
// allocates through it (inside its own transaction), so a province plugs in its scheme by adding one module.
import type { Position } from 'geojson';
import type { GridKind } from '../../schemas/resources.ts';

export type Message = { zh: string; en: string };

export interface SequenceRange {
  first: number;
  last: number;
}

export interface CodedGrid {
  kind: GridKind;
  /** village/community code, or the township code for township-level special and sea grids */
  divisionCode: string;
  /** the parent grid's code for a micro-grid, otherwise null */
  parentCode: string | null;
}

export interface AllocationRequest {
  divisionCode: string;
  kind: GridKind;
  /** set when allocating micro-grid codes under this grid code */
  parentCode?: string;
  grids: ReadonlyArray<{ centroid: Position }>;
  /** codes in use or retired: never handed out */
  taken: ReadonlySet<string>;
}

export interface CodeProfile {
  readonly name: string;
  readonly title: Message;
  /** Why `code` is malformed for this grid, or null when it is well-formed. */
  checkFormat(code: string, micro: boolean): Message | null;
  /** Sequence numbers the kind may use; null when the profile issues no codes for it. */
  kindRange(kind: GridKind): SequenceRange | null;
  /** The sequence number inside a well-formed grid (not micro-grid) code. */
  sequenceOf(code: string): number;
  /** What a code must start with: the division code, or for a micro-grid the parent grid code. */
  expectedPrefix(grid: CodedGrid): string;
  /** One new code per requested grid, in request order. Throws CodeRangeExhausted or KindWithoutCodes. */
  allocate(request: AllocationRequest): string[];
}

export class CodeRangeExhausted extends Error {
  readonly type = 'code-range-exhausted';
  readonly status = 409;
  constructor(readonly prefix: string, readonly range: SequenceRange, readonly requested: number, readonly free: number) {
    super(`only ${free} free codes under ${prefix} in ${range.first}–${range.last}, ${requested} requested`);
  }
}

export class KindWithoutCodes extends Error {
  readonly type = 'kind-without-codes';
  readonly status = 400;
  constructor(readonly profile: string, readonly kind: GridKind) {
    super(`code profile "${profile}" issues no codes for ${kind} grids`);
  }
}

export class UnknownCodeProfile extends Error {
  readonly type = 'unknown-code-profile';
  readonly status = 400;
  readonly parameter = 'codeProfile';
  constructor(readonly profile: string, readonly available: readonly string[]) {
    super(`unknown code profile "${profile}"; available: ${available.join(', ')}`);
  }
}
