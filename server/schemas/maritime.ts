// Vessels, position ingest reports and alerts (API.md: Vessel).
import { Type, type Static } from 'typebox';
import { Links } from './common.ts';

export const Mmsi = Type.String({ pattern: '^[0-9]{9}$', description: '9-digit MMSI' });

export const LastPosition = Type.Object({
  time: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  sog: Type.Union([Type.Number(), Type.Null()]),
  cog: Type.Union([Type.Number(), Type.Null()]),
  onLand: Type.Boolean(),
});

export const Vessel = Type.Object({
  id: Type.String(),
  mmsi: Type.Union([Mmsi, Type.Null()]),
  registeredName: Type.String({ description: 'e.g. 浙普渔64110' }),
  type: Type.Union([Type.String(), Type.Null()]),
  lengthM: Type.Union([Type.Number(), Type.Null()]),
  homePort: Type.Union([Type.String(), Type.Null()]),
  owner: Type.Optional(Type.Object({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]) }, { description: 'personal data: only for roles entitled to it' })),
  formationCode: Type.Union([Type.String(), Type.Null()]),
  lastPosition: Type.Union([LastPosition, Type.Null()]),
  synthetic: Type.Boolean(),
  warnings: Type.Optional(Type.Array(Type.String())),
});
export type Vessel = Static<typeof Vessel>;

export const VesselList = Type.Object({ vessels: Type.Array(Vessel), total: Type.Integer(), links: Links });

export const NewVessel = Type.Object(
  {
    registeredName: Type.String({ maxLength: 32 }),
    mmsi: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Null()])),
    type: Type.Optional(Type.String({ maxLength: 32 })),
    lengthM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 400 })),
    homePort: Type.Optional(Type.String({ maxLength: 64 })),
    ownerName: Type.Optional(Type.String({ maxLength: 64 })),
    ownerPhone: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);

export const NewMembership = Type.Object(
  {
    formationCode: Type.String({ pattern: '^[0-9]{15}$', description: 'a vessel_formation or aquaculture grid in force' }),
    validFrom: Type.Optional(Type.String({ format: 'date' })),
    validTo: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const IngestReport = Type.Object({
  received: Type.Integer(),
  stored: Type.Integer(),
  duplicates: Type.Integer(),
  outOfOrder: Type.Integer(),
  onLand: Type.Integer({ description: 'stored, flagged on_land' }),
  rejected: Type.Array(Type.Object({ index: Type.Optional(Type.Integer()), row: Type.Optional(Type.Integer()), pointer: Type.String(), message: Type.String() })),
  checksumErrors: Type.Integer(),
  footprintsUpdated: Type.Array(Type.String(), { description: 'vessel formations whose footprint this batch derived again' }),
});
export type IngestReport = Static<typeof IngestReport>;

export const Alert = Type.Object({
  kind: Type.Union([Type.Literal('left_formation'), Type.Literal('stale_member'), Type.Literal('aquaculture_intrusion')]),
  vessel: Type.Object({ id: Type.String(), mmsi: Type.Union([Type.String(), Type.Null()]), registeredName: Type.String() }),
  gridCode: Type.String(),
  gridName: Type.String(),
  position: Type.Union([Type.Object({ lon: Type.Number(), lat: Type.Number(), time: Type.String() }), Type.Null()]),
  distanceM: Type.Optional(Type.Number()),
  message: Type.Object({ zh: Type.String(), en: Type.String() }),
});

export const AlertList = Type.Object({
  at: Type.String(),
  options: Type.Object({ freshnessMinutes: Type.Number(), bufferM: Type.Number(), leaveDistanceM: Type.Number() }),
  alerts: Type.Array(Alert),
});
