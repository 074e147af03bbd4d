// Plan and filing shapes (API.md `Plan`, `Filing`).
import { Type, type Static } from 'typebox';
import { DivisionCode, Grid, RuleReport, StaffMember, ManagingUnit, GridKind, GridSubkind } from './resources.ts';
import { AreaGeometry } from './geojson.ts';
import { PLAN_STATUSES, PLAN_TRIGGERS } from '../domain/plans/status.ts';

export const PlanTrigger = Type.Enum(PLAN_TRIGGERS, {
  description: '舟山条例 Art. 10: initial division; village/community scale change; demolition or relocation; population movement; other',
});
export const PlanStatus = Type.Enum(PLAN_STATUSES);

export const PlanComment = Type.Object({ at: Type.String(), by: Type.String(), text: Type.String(), grid: Type.Optional(Type.String()) });

export const PlanScope = Type.Union([Type.Literal('land'), Type.Literal('maritime')], { description: 'land grids or the sea grids of the township' });
export type PlanScope = Static<typeof PlanScope>;

export const Plan = Type.Object({
  id: Type.String(),
  townshipCode: DivisionCode,
  scope: PlanScope,
  trigger: PlanTrigger,
  triggerNote: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  status: PlanStatus,
  baseFiling: Type.Union([Type.String(), Type.Null()], { description: 'the filing of the township (and scope) this plan was drafted against' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  report: Type.Union([Type.Intersect([RuleReport, Type.Object({ justifications: Type.Optional(Type.Record(Type.String(), Type.String())) })]), Type.Null()]),
  comments: Type.Array(PlanComment),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  allowedTransitions: Type.Array(Type.String()),
});

export const CreatePlan = Type.Object(
  {
    townshipCode: DivisionCode,
    scope: Type.Optional(PlanScope),
    trigger: PlanTrigger,
    triggerNote: Type.Optional(Type.String({ maxLength: 2000 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    start: Type.Optional(Type.Union([Type.Literal('empty'), Type.Literal('filed')], { description: 'start empty or from the filed partition' })),
  },
  { additionalProperties: false },
);

/** Households and population are stored as PostgreSQL integers. */
const Count = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 });

export const PlanGridProperties = Type.Object({
  code: Type.Optional(Type.Union([Type.String({ maxLength: 17 }), Type.Null()])),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: GridKind,
  subkind: Type.Optional(Type.Union([GridSubkind, Type.Null()])),
  divisionCode: DivisionCode,
  parentCode: Type.Optional(Type.Union([Type.String({ maxLength: 17 }), Type.Null()])),
  households: Type.Optional(Type.Union([Count, Type.Null()])),
  population: Type.Optional(Type.Union([Count, Type.Null()])),
  managingUnits: Type.Optional(Type.Array(ManagingUnit)),
  staff: Type.Optional(Type.Array(StaffMember)),
});

export const PlanGridInput = Type.Object({ type: Type.Literal('Feature'), properties: PlanGridProperties, geometry: AreaGeometry });

export const PlanGridFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  properties: Type.Intersect([Type.Omit(Grid, ['version', 'validFrom', 'validTo']), Type.Object({ planGridId: Type.String() })]),
  geometry: Type.Unknown(),
});

export const Filing = Type.Object({
  number: Type.String(),
  planId: Type.Union([Type.String(), Type.Null()]),
  townshipCode: DivisionCode,
  filedAt: Type.String(),
  approvedBy: Type.Union([Type.String(), Type.Null()]),
  filedBy: Type.String(),
  trigger: Type.String(),
  snapshotSha256: Type.String(),
  previousSha256: Type.Union([Type.String(), Type.Null()]),
});

export const FilingNumber = Type.String({ pattern: '^BA[0-9]{4}-[0-9]{5,}$', description: 'filing number, BA<year>-<sequence>' });
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' });

/** The newest filing of the chain: published (on receipts and public notices) so that removing it can be shown. */
export const ChainHead = Type.Object(
  {
    number: Type.String(),
    chainSeq: Type.Integer({ description: 'position in the chain, 1 for the first filing' }),
    sha256: Type.String({ description: "the filing's snapshotSha256; every earlier filing is chained into it" }),
    filedAt: Type.String(),
  },
  { description: 'the newest filing of the hash chain' },
);
export type ChainHead = Static<typeof ChainHead>;

/** A head published before, to check the chain still reaches it: its sha256, and its number when known. */
export const PublishedHead = Type.Object(
  { sha256: Type.Optional(Sha256), number: Type.Optional(FilingNumber) },
  { additionalProperties: false },
);
export type PublishedHead = { sha256: string; number?: string };

export const ChainVerdict = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: 'filings verified before the first divergence (all of them when ok)' }),
  head: Type.Union([ChainHead, Type.Null()], { description: 'the chain head verified (null: no filing yet)' }),
  brokenAt: Type.Optional(Type.String({ description: 'the filing the first divergence concerns' })),
  grid: Type.Optional(Type.String({ description: 'the grid code, for a divergence in a grid' })),
  field: Type.Optional(Type.String({ description: 'what diverges: a filing column (filedAt, approvedBy, …) or a grid attribute (geometry, name, households, …)' })),
  reason: Type.Optional(Type.String()),
});
export type ChainVerdict = Static<typeof ChainVerdict>;

/** What filing a plan did to the grid codes: kept by continuity, newly allocated, retired for good; and the new head. */
export const FilingOutcome = Type.Intersect([
  Filing,
  Type.Object({
    codes: Type.Object({ kept: Type.Array(Type.String()), allocated: Type.Array(Type.String()), retired: Type.Array(Type.String()) }),
    head: ChainHead,
  }),
]);
