// GeoJSON (RFC 7946) schemas for the API boundary. Coordinates are [lon, lat] in EPSG:4326 (CGCS2000 treated as equal).
import { Type, type Static } from 'typebox';

export const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[lon, lat]' });
export const PointGeometry = Type.Object({ type: Type.Literal('Point'), coordinates: Position });
export const LineString = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position, { minItems: 2 }) });
export const LinearRing = Type.Array(Position, { minItems: 4 });
export const PolygonGeometry = Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(LinearRing, { minItems: 1 }) });
export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(LinearRing, { minItems: 1 })),
});
export const AreaGeometry = Type.Union([PolygonGeometry, MultiPolygonGeometry]);
export type AreaGeometry = Static<typeof AreaGeometry>;

/** Any GeoJSON geometry; shape checks beyond `type` are the rules engine's job so it can say exactly what is wrong. */
export const AnyGeometry = Type.Object({ type: Type.String(), coordinates: Type.Optional(Type.Unknown()) }, { additionalProperties: true });

export function featureCollectionOf<P extends import('typebox').TSchema, G extends import('typebox').TSchema>(properties: P, geometry: G) {
  return Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Object({ type: Type.Literal('Feature'), id: Type.Optional(Type.Union([Type.String(), Type.Number()])), properties, geometry })),
  });
}
