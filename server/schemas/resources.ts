// Resource shapes from ../shared/API.md. These schemas are the single source of truth:
// routes validate and serialise with them and the TypeScript types below are derived from them.
import { Type, type Static } from 'typebox';
import { PHONE_PATTERN, STAFF_NAME_PATTERN, STAFF_ROLES } from '../domain/staff/roster.ts';

export const DivisionCode = Type.String({ pattern: '^[0-9]{12}$', description: '12-digit statistical division code' });
export const GridCode = Type.String({ pattern: '^[0-9]{15}([0-9]{2})?$', description: 'grid code (15 digits; micro-grid 17)' });

export const DivisionLevel = Type.Union([Type.Literal('city'), Type.Literal('county'), Type.Literal('township'), Type.Literal('village')]);
export type DivisionLevel = Static<typeof DivisionLevel>;

export const Division = Type.Object({
  code: DivisionCode,
  name: Type.String(),
  level: DivisionLevel,
  parentCode: Type.Union([DivisionCode, Type.Null()]),
  households: Type.Integer(),
  population: Type.Integer(),
  synthetic: Type.Boolean({ description: 'true when the boundary is derived, not authoritative' }),
});
export type Division = Static<typeof Division>;

export const GridKind = Type.Union([Type.Literal('comprehensive'), Type.Literal('special'), Type.Literal('maritime')]);
export type GridKind = Static<typeof GridKind>;
export const GRID_SUBKINDS = {
  comprehensive: ['community', 'village'],
  special: ['admin_center', 'industrial_park', 'enterprise', 'office_building', 'market', 'school', 'hospital', 'transport_hub', 'other'],
  maritime: ['vessel_formation', 'aquaculture', 'offshore_operation'],
} as const;
export const GridSubkind = Type.Enum([...GRID_SUBKINDS.comprehensive, ...GRID_SUBKINDS.special, ...GRID_SUBKINDS.maritime]);
export type GridSubkind = Static<typeof GridSubkind>;

export const ManagingUnit = Type.Object({ name: Type.String(), role: Type.Union([Type.Literal('territorial'), Type.Literal('business')]) });
export const StaffRole = Type.Enum(STAFF_ROLES, {
  description: '网格长 leader, 专职网格员 full_time, 兼职网格员 part_time, 网格指导员 instructor, 微网格联络员 micro_liaison',
});
export const StaffName = Type.String({ pattern: STAFF_NAME_PATTERN, description: '1–64 characters, no control characters' });
export const StaffPhone = Type.String({ pattern: PHONE_PATTERN, description: 'mobile (1xxxxxxxxxx) or landline with area code (0580-2000002), optionally +86' });
export const StaffMember = Type.Object({
  role: StaffRole,
  name: StaffName,
  phone: Type.Optional(StaffPhone),
});
export type StaffMember = Static<typeof StaffMember>;
export const GridStatus = Type.Union([Type.Literal('filed'), Type.Literal('retired'), Type.Literal('proposed')]);

export const Grid = Type.Object({
  code: Type.Union([GridCode, Type.Null()]),
  name: Type.String(),
  kind: GridKind,
  subkind: Type.Union([GridSubkind, Type.Null()]),
  divisionCode: DivisionCode,
  parentCode: Type.Union([GridCode, Type.Null()]),
  households: Type.Integer(),
  population: Type.Integer(),
  managingUnits: Type.Array(ManagingUnit),
  staff: Type.Array(StaffMember),
  version: Type.Integer(),
  validFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  status: GridStatus,
  footprintAt: Type.Optional(
    Type.String({ format: 'date-time', description: 'vessel formations: when position ingest last derived the geometry (absent: the geometry as filed)' }),
  ),
});
export type Grid = Static<typeof Grid>;

export const Island = Type.Object({
  id: Type.Integer(),
  name: Type.Union([Type.String(), Type.Null()]),
  residents: Type.Integer(),
  inhabited: Type.Boolean(),
  countyCode: Type.Union([DivisionCode, Type.Null()]),
  areaKm2: Type.Number(),
  synthetic: Type.Boolean(),
});
export type Island = Static<typeof Island>;

export const Severity = Type.Union([Type.Literal('error'), Type.Literal('warning')]);
export type Severity = Static<typeof Severity>;
export const Finding = Type.Object({
  ruleId: Type.String(),
  severity: Severity,
  message: Type.Object({ zh: Type.String(), en: Type.String() }),
  codes: Type.Array(Type.Union([Type.String(), Type.Integer()]), { description: 'grid codes or feature indexes involved' }),
  geometry: Type.Optional(Type.Unknown({ description: 'GeoJSON geometry locating the finding' })),
  pointer: Type.Optional(Type.String({ description: 'JSON pointer into the request' })),
  repair: Type.Optional(Type.Unknown({ description: 'suggested repaired geometry (never applied silently)' })),
  justification: Type.Optional(Type.String()),
});
export type Finding = Static<typeof Finding>;

export const RuleReport = Type.Object({
  ruleSet: Type.String(),
  divisionCode: Type.Optional(DivisionCode),
  counts: Type.Object({ error: Type.Integer(), warning: Type.Integer() }),
  findings: Type.Array(Finding),
});
export type RuleReport = Static<typeof RuleReport>;

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() }))),
});
export type Problem = Static<typeof Problem>;
