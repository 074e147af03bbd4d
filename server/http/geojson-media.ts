// GeoJSON's own media type (RFC 7946 §12). Clients such as GDAL and QGIS send GeoJSON bodies as
// application/geo+json; they are JSON, read by the app's JSON parser with its prototype-poisoning settings.
import type { FastifyInstance } from 'fastify';

export const GEOJSON_MEDIA_TYPE = 'application/geo+json';

/** The request media types of a route whose JSON body may be GeoJSON, for its OpenAPI `consumes`. */
export const JSON_OR_GEOJSON = ['application/json', GEOJSON_MEDIA_TYPE];

/** Lets the routes of this plugin take application/geo+json bodies as they take application/json. */
export function acceptGeoJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  app.addContentTypeParser(GEOJSON_MEDIA_TYPE, { parseAs: 'string' }, parseJson);
}
