// Staff roster shapes (API.md `StaffAssignment`): a grid's people with their terms, changed without refiling.
import { Type, type Static } from 'typebox';
import { GridCode, StaffName, StaffPhone, StaffRole } from './resources.ts';
import { IsoDate } from './common.ts';

export const StaffAssignment = Type.Object({
  gridCode: GridCode,
  role: StaffRole,
  name: Type.String(),
  phone: Type.Optional(Type.String({ description: 'only for callers entitled to personal data' })),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'first day no longer served (exclusive); null while serving' }),
});
export type StaffAssignment = Static<typeof StaffAssignment>;

export const StaffRoster = Type.Object({
  gridCode: GridCode,
  at: Type.String({ format: 'date', description: 'the date the roster is in force on' }),
  staff: Type.Array(StaffAssignment),
});

export const StaffHistory = Type.Object({
  gridCode: GridCode,
  assignments: Type.Array(StaffAssignment, { description: 'every assignment ever recorded, oldest first; a replaced one keeps its dates' }),
});

export const ReplaceRoster = Type.Object(
  {
    validFrom: Type.Optional(IsoDate),
    staff: Type.Array(
      Type.Object(
        {
          role: StaffRole,
          name: StaffName,
          phone: Type.Optional(StaffPhone),
          validTo: Type.Optional(Type.Union([IsoDate, Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  {
    additionalProperties: false,
    description: 'The roster from `validFrom` (default: today in China) on: the assignments open then are closed, these are opened',
  },
);
export type ReplaceRoster = Static<typeof ReplaceRoster>;

export const StaffImportReport = Type.Object({
  grids: Type.Integer({ description: 'grids whose roster was replaced' }),
  assignments: Type.Integer(),
  rows: Type.Array(
    Type.Object({ row: Type.Integer({ description: 'line of the file (the header is line 1)' }), gridCode: GridCode, role: StaffRole, name: Type.String(), validFrom: Type.String(), status: Type.Literal('imported') }),
  ),
});
export type StaffImportReport = Static<typeof StaffImportReport>;
