// Response shapes of the OGC API – Features endpoints (Part 1 core, Part 2 crs).
import { Type } from 'typebox';

export const Link = Type.Object({
  href: Type.String(),
  rel: Type.String(),
  type: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
});

export const LandingPage = Type.Object({ title: Type.String(), description: Type.String(), links: Type.Array(Link) });

export const Conformance = Type.Object({ conformsTo: Type.Array(Type.String()) });

export const Collection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  itemType: Type.Literal('feature'),
  crs: Type.Array(Type.String()),
  storageCrs: Type.String(),
  extent: Type.Object({
    spatial: Type.Object({ bbox: Type.Array(Type.Array(Type.Number())), crs: Type.String() }),
    temporal: Type.Optional(Type.Object({ interval: Type.Array(Type.Array(Type.Union([Type.String(), Type.Null()]))), trs: Type.String() })),
  }),
  links: Type.Array(Link),
});

export const Collections = Type.Object({ links: Type.Array(Link), crs: Type.Array(Type.String()), collections: Type.Array(Collection) });

export const Feature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: Type.Unknown(),
  properties: Type.Record(Type.String(), Type.Unknown()),
  links: Type.Optional(Type.Array(Link)),
});

export const FeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Feature),
  numberMatched: Type.Integer(),
  numberReturned: Type.Integer(),
  timeStamp: Type.String(),
  links: Type.Array(Link),
});

// `$schema` and `$id` pass through as additional properties: declared as properties they read as JSON Schema
// keywords to the OpenAPI generator's reference resolver, which then fails.
export const Queryables = Type.Object(
  {
    type: Type.Literal('object'),
    title: Type.String(),
    properties: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);
