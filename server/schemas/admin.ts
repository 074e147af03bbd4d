// Administration: users with a role and a scope, and their API keys (the key itself is shown once, when issued).
import { Type, type Static } from 'typebox';
import { GRANTABLE_ROLES, ROLES } from '../domain/access/roles.ts';

/** Printable text: not blank, no control characters (NUL included), as names and labels end up in logs and audits. */
const printable = (description: string, maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^(?=.*\\S)[^\\u0000-\\u001f\\u007f]+$', description });

export const RecordId = Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'numeric id, as a string' });
export const UserRole = Type.Enum(GRANTABLE_ROLES, { description: 'role; an administrator grants roles up to its own' });
export const ScopeDivision = Type.String({
  pattern: '^[1-9][0-9]{11}$',
  description: '12-digit code of the division the user acts within: city 330900000000, county 330903000000, township 330903001000',
});

export const NewUser = Type.Object(
  {
    name: printable('the user or system, unique (e.g. 沈家门街道网格规划员 王芳)', 200),
    role: UserRole,
    divisionCode: ScopeDivision,
  },
  { additionalProperties: false },
);
export type NewUser = Static<typeof NewUser>;

export const UserView = Type.Object({
  id: RecordId,
  name: Type.String(),
  role: Type.Enum(ROLES),
  scopePrefix: Type.String({ description: 'division code prefix the user acts within; empty for everywhere' }),
  createdAt: Type.String({ format: 'date-time' }),
  disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type UserView = Static<typeof UserView>;

const ExpiresAt = Type.String({ format: 'date-time', description: 'RFC 3339 date-time with offset; the key is refused from then on' });

export const NewKey = Type.Object(
  {
    userId: RecordId,
    label: printable('what the key is for (e.g. "QGIS on the GIS office PC")', 200),
    expiresAt: Type.Optional(ExpiresAt),
  },
  { additionalProperties: false },
);
export type NewKey = Static<typeof NewKey>;

export const KeyRotation = Type.Object({ expiresAt: Type.Optional(ExpiresAt) }, { additionalProperties: false });

export const ApiKeyView = Type.Object({
  id: RecordId,
  userId: RecordId,
  label: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'the latest request made with the key' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  usageCount: Type.Integer(),
});
export type ApiKeyView = Static<typeof ApiKeyView>;

export const IssuedApiKey = Type.Object({
  ...ApiKeyView.properties,
  key: Type.String({ description: 'the key itself: shown this once, stored only as a SHA-256 hash' }),
});
export type IssuedApiKey = Static<typeof IssuedApiKey>;

export const AuditEntry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.String(),
  after: Type.Unknown(),
});
