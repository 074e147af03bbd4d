// OGC API – Features (Part 1 core, GeoJSON, HTML; Part 2 CRS) over the registry, so QGIS and GDAL read it as it is.
// The route list below is the whole surface; handlers parse parameters, ask the catalogue and write the answer.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../schemas/resources.ts';
import { Offset, TextBody, mediaTypeResponse } from '../schemas/common.ts';
import {
  featureCatalog,
  type CollectionInfo,
  type FeatureCatalog,
  type FeatureCollectionId,
  type StoredFeature,
} from '../db/repositories/features.ts';
import { invalidParameter, notFound } from '../http/problem.ts';
import { requireRegistryRead } from '../http/auth.ts';
import { CRS84, SUPPORTED_CRS, inCrs, parseBBoxIn, parseCrs, type Crs } from './ogc/crs.ts';
import { parseDatetime } from './ogc/datetime.ts';
import { ogcOpenApi30 } from './ogc/openapi.ts';
import { featureTable, linkList, page, paragraph } from './ogc/html.ts';
import { Collection, Collections, Conformance, Feature, FeatureCollection, LandingPage, Queryables } from './ogc/schemas.ts';
import type { Static, TSchema } from 'typebox';
import { loadRuleSet } from '../rulesets/index.ts';
import type { RouteContext } from './context.ts';

const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';
const HTML = 'text/html';
const MAX_LIMIT = 10_000;
const TRS = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';
const OPENAPI_30 = 'application/vnd.oai.openapi+json;version=3.0';
const DEFAULT_LIMIT = 100;

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
];

/** Parameters of /items that are not property filters. */
const ITEM_PARAMETERS = new Set(['bbox', 'bbox-crs', 'datetime', 'limit', 'offset', 'f', 'crs']);

type Link = Static<typeof Collection>['links'][number];
type Format = 'json' | 'html';

const FormatParam = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { description: 'response format; default from Accept' }));
const CrsParam = Type.Optional(Type.String({ description: `CRS of the response: ${SUPPORTED_CRS.join(' or ')}` }));
const CollectionParams = Type.Object({ collectionId: Type.String() });

/** A document sent as JSON, or as HTML with f=html (or a browser's Accept). */
const jsonOrHtml = <T extends TSchema>(description: string, schema: T) => mediaTypeResponse(description, { [JSON_TYPE]: schema, [HTML]: TextBody });

/** `f` wins; otherwise a browser (Accept naming text/html before any JSON) gets HTML. */
function formatOf(request: FastifyRequest, f: Format | undefined): Format {
  if (f) return f;
  const accept = request.headers.accept ?? '';
  const html = accept.indexOf(HTML);
  const json = accept.search(/json/);
  return html >= 0 && (json < 0 || html < json) ? 'html' : 'json';
}

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** The request's own URL with some query parameters replaced (undefined removes one). */
function selfWith(request: FastifyRequest, changes: Record<string, string | undefined>): string {
  const url = new URL(request.url, baseUrl(request));
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.toString();
}

function alternates(request: FastifyRequest, format: Format, jsonType: string): Link[] {
  return [
    { href: selfWith(request, { f: format }), rel: 'self', type: format === 'html' ? HTML : jsonType, title: 'This document' },
    format === 'html'
      ? { href: selfWith(request, { f: 'json' }), rel: 'alternate', type: jsonType, title: 'This document as JSON' }
      : { href: selfWith(request, { f: 'html' }), rel: 'alternate', type: HTML, title: 'This document as HTML' },
  ];
}

function sendHtml(reply: FastifyReply, html: string) {
  return reply.type(`${HTML}; charset=utf-8`).send(html);
}

/** Checks the property filters of an /items request against the collection's queryables. */
function propertyFilters(collection: CollectionInfo, query: Record<string, unknown>): Record<string, string | number | boolean> {
  const filters: Record<string, string | number | boolean> = {};
  for (const [name, raw] of Object.entries(query)) {
    if (ITEM_PARAMETERS.has(name)) continue;
    const queryable = collection.queryables[name];
    const known = Object.keys(collection.queryables);
    if (!queryable) throw invalidParameter(name, `unknown parameter; ${collection.id} filters on ${known.length ? known.join(', ') : 'nothing'}`);
    if (typeof raw !== 'string') throw invalidParameter(name, 'give the parameter once');
    if (queryable.type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw invalidParameter(name, 'expected true or false');
      filters[name] = raw === 'true';
    } else if (queryable.type === 'integer') {
      if (!/^-?\d{1,9}$/.test(raw)) throw invalidParameter(name, 'expected an integer');
      filters[name] = Number(raw);
    } else {
      if (queryable.enum && !queryable.enum.includes(raw)) throw invalidParameter(name, `expected one of ${queryable.enum.join(', ')}`);
      if (queryable.pattern && !new RegExp(queryable.pattern).test(raw)) throw invalidParameter(name, `does not match ${queryable.pattern}`);
      filters[name] = raw;
    }
  }
  return filters;
}

function withCrs(feature: StoredFeature, crs: Crs): StoredFeature {
  return { ...feature, geometry: inCrs(feature.geometry, crs) };
}

export const ogcRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  // Every document here describes or serves the registry: in production only keys read them, as /v1.
  app.addHook('onRequest', requireRegistryRead(config.mode === 'demo'));
  const catalog: FeatureCatalog = featureCatalog(knex, { inhabitedThreshold: loadRuleSet(config.ruleSet).islands.inhabitedResidents });

  function collectionOrNotFound(id: string): CollectionInfo {
    const collection = catalog.collections.find((c) => c.id === id);
    if (!collection) throw notFound('collection', id);
    return collection;
  }

  async function describe(request: FastifyRequest, collection: CollectionInfo): Promise<Static<typeof Collection>> {
    const base = `${baseUrl(request)}/ogc/collections/${collection.id}`;
    const { bbox, interval } = await catalog.extent(collection.id);
    return {
      id: collection.id,
      title: collection.title,
      description: collection.description,
      itemType: 'feature',
      crs: [...SUPPORTED_CRS],
      storageCrs: CRS84,
      extent: {
        spatial: { bbox: [bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
        ...(collection.temporal ? { temporal: { interval: [interval ?? [null, null]], trs: TRS } } : {}),
      },
      links: [
        { href: base, rel: 'self', type: JSON_TYPE, title: collection.title },
        { href: `${base}?f=html`, rel: 'alternate', type: HTML, title: `${collection.title} (HTML)` },
        { href: `${base}/items`, rel: 'items', type: GEOJSON, title: 'Features as GeoJSON' },
        { href: `${base}/items?f=html`, rel: 'items', type: HTML, title: 'Features as HTML' },
        { href: `${base}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: 'Queryables' },
      ],
    };
  }

  app.get(
    '/ogc',
    {
      schema: {
        tags: ['ogc'],
        summary: 'OGC API – Features landing page',
        querystring: Type.Object({ f: FormatParam }),
        response: { 200: jsonOrHtml('The landing page', LandingPage), 401: Problem },
      },
    },
    async (request, reply) => {
      const base = baseUrl(request);
      const format = formatOf(request, request.query.f);
      const body = {
        title: 'Wangge (网格) OGC API – Features',
        description: 'Divisions, filed grids, micro-grids, sea grids, islands and household density of the registry.',
        links: [
          ...alternates(request, format, JSON_TYPE),
          { href: `${base}/ogc/api`, rel: 'service-desc', type: OPENAPI_30, title: 'OpenAPI 3.0 definition of this API' },
          { href: `${base}/docs`, rel: 'service-doc', type: HTML, title: 'Interactive API documentation' },
          { href: `${base}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes' },
          { href: `${base}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: 'Feature collections' },
        ],
      };
      if (format === 'html') return sendHtml(reply, page(body.title, paragraph(body.description) + linkList(body.links)));
      return body;
    },
  );

  // The document the oas30 conformance class promises: the /ogc part of the service's 3.1 document in OpenAPI 3.0.
  app.get('/ogc/api', { schema: { hide: true } }, async (request, reply) => {
    // With a charset given, Fastify leaves the type as written: GDAL wants the token `version=3.0`, unquoted.
    reply.type(`${OPENAPI_30};charset=utf-8`);
    return ogcOpenApi30(app.swagger(), { prefix: '/ogc', serverUrl: baseUrl(request), collections: catalog.collections });
  });

  app.get(
    '/ogc/conformance',
    {
      schema: { tags: ['ogc'], summary: 'Conformance classes', querystring: Type.Object({ f: FormatParam }), response: { 200: jsonOrHtml('The conformance classes', Conformance), 401: Problem } },
    },
    async (request, reply) => {
      if (formatOf(request, request.query.f) === 'html') {
        return sendHtml(reply, page('Conformance', linkList(CONFORMANCE.map((href) => ({ href, rel: 'conformsTo' })))));
      }
      return { conformsTo: CONFORMANCE };
    },
  );

  app.get(
    '/ogc/collections',
    {
      schema: { tags: ['ogc'], summary: 'Feature collections', querystring: Type.Object({ f: FormatParam }), response: { 200: jsonOrHtml('The collections', Collections), 401: Problem } },
    },
    async (request, reply) => {
      const format = formatOf(request, request.query.f);
      const collections = await Promise.all(catalog.collections.map((c) => describe(request, c)));
      if (format === 'html') {
        const list = linkList(collections.map((c) => ({ href: `${c.links[0].href}?f=html`, rel: 'collection', title: `${c.title} — ${c.id}` })));
        return sendHtml(reply, page('Collections', list));
      }
      return { links: alternates(request, format, JSON_TYPE), crs: [...SUPPORTED_CRS], collections };
    },
  );

  app.get(
    '/ogc/collections/:collectionId',
    {
      schema: {
        tags: ['ogc'],
        summary: 'One feature collection',
        params: CollectionParams,
        querystring: Type.Object({ f: FormatParam }),
        response: { 200: jsonOrHtml('The collection', Collection), 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const collection = collectionOrNotFound(request.params.collectionId);
      const body = await describe(request, collection);
      if (formatOf(request, request.query.f) === 'html') {
        const extent = `Extent (CRS84): ${body.extent.spatial.bbox[0].join(', ')}`;
        return sendHtml(reply, page(body.title, paragraph(body.description) + paragraph(extent) + linkList(body.links)));
      }
      return body;
    },
  );

  app.get(
    '/ogc/collections/:collectionId/queryables',
    {
      schema: { tags: ['ogc'], summary: 'Property filters of a collection', params: CollectionParams, response: { 200: mediaTypeResponse('The queryables as a JSON Schema', { 'application/schema+json': Queryables }), 401: Problem, 404: Problem } },
    },
    async (request, reply) => {
      const collection = collectionOrNotFound(request.params.collectionId);
      reply.type('application/schema+json');
      return {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `${baseUrl(request)}/ogc/collections/${collection.id}/queryables`,
        type: 'object' as const,
        title: collection.title,
        properties: Object.fromEntries(Object.entries(collection.queryables).map(([name, q]) => [name, { ...q }])),
      };
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items',
    {
      schema: {
        tags: ['ogc'],
        summary: 'Features of a collection: bbox, datetime, paging, property filters (see queryables), crs',
        params: CollectionParams,
        querystring: Type.Object(
          {
            bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat (or minLat,minLon,maxLat,maxLon with bbox-crs EPSG:4490)' })),
            'bbox-crs': CrsParam,
            datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval (start/end, `..` for open)' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, default: DEFAULT_LIMIT, description: `page size; above ${MAX_LIMIT} is served as ${MAX_LIMIT}` })),
            offset: Type.Optional(Offset),
            crs: CrsParam,
            f: FormatParam,
          },
          { additionalProperties: Type.String() },
        ),
        response: { 200: mediaTypeResponse('A page of features', { [GEOJSON]: FeatureCollection, [HTML]: TextBody }), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const collection = collectionOrNotFound(request.params.collectionId);
      const query = request.query;
      const format = formatOf(request, query.f);
      const crs = parseCrs(query.crs, 'crs');
      const bbox = query.bbox === undefined ? undefined : parseBBoxIn(query.bbox, parseCrs(query['bbox-crs'], 'bbox-crs'));
      const time = query.datetime === undefined ? undefined : parseDatetime(query.datetime);
      const properties = propertyFilters(collection, query as Record<string, unknown>);
      const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
      const offset = query.offset ?? 0;
      const { features, total } = await catalog.list(collection.id as FeatureCollectionId, {
        bbox,
        time: collection.temporal ? time : undefined,
        properties,
        limit,
        offset,
      });
      const itemsBase = `${baseUrl(request)}/ogc/collections/${collection.id}/items`;
      if (format === 'html') {
        const nav = [
          ...(offset + limit < total ? [{ href: selfWith(request, { offset: String(offset + limit), f: 'html' }), rel: 'next', title: 'next page' }] : []),
          ...(offset > 0 ? [{ href: selfWith(request, { offset: String(Math.max(0, offset - limit)), f: 'html' }), rel: 'prev', title: 'previous page' }] : []),
        ];
        const summary = paragraph(`${features.length} of ${total} features, from ${offset + 1}`);
        return sendHtml(reply, page(collection.title, summary + linkList(nav) + featureTable(features, (id) => `${itemsBase}/${encodeURIComponent(id)}?f=html`)));
      }
      const links: Link[] = [
        ...alternates(request, format, GEOJSON),
        { href: `${baseUrl(request)}/ogc/collections/${collection.id}`, rel: 'collection', type: JSON_TYPE, title: collection.title },
      ];
      if (offset + limit < total) links.push({ href: selfWith(request, { offset: String(offset + limit), limit: String(limit) }), rel: 'next', type: GEOJSON, title: 'Next page' });
      if (offset > 0) links.push({ href: selfWith(request, { offset: String(Math.max(0, offset - limit)), limit: String(limit) }), rel: 'prev', type: GEOJSON, title: 'Previous page' });
      reply.type(GEOJSON).header('content-crs', `<${crs}>`);
      return {
        type: 'FeatureCollection' as const,
        features: features.map((f) => withCrs(f, crs)),
        numberMatched: total,
        numberReturned: features.length,
        timeStamp: new Date().toISOString(),
        links,
      };
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items/:featureId',
    {
      schema: {
        tags: ['ogc'],
        summary: 'One feature; a grid by code (the version in force now or on `datetime`) or by code.vN (that version)',
        params: Type.Object({ collectionId: Type.String(), featureId: Type.String() }),
        querystring: Type.Object({ crs: CrsParam, datetime: Type.Optional(Type.String()), f: FormatParam }),
        response: { 200: mediaTypeResponse('The feature', { [GEOJSON]: Feature, [HTML]: TextBody }), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const collection = collectionOrNotFound(request.params.collectionId);
      const { featureId } = request.params;
      const crs = parseCrs(request.query.crs, 'crs');
      const time = request.query.datetime === undefined ? undefined : parseDatetime(request.query.datetime);
      if (time && !('instant' in time)) throw invalidParameter('datetime', 'one feature is selected by an instant, not an interval');
      const feature = await catalog.find(collection.id, featureId, collection.temporal ? time : undefined);
      if (!feature) throw notFound(`feature in ${collection.id}`, featureId);
      const format = formatOf(request, request.query.f);
      const itemsUrl = `${baseUrl(request)}/ogc/collections/${collection.id}/items`;
      if (format === 'html') return sendHtml(reply, page(`${collection.title}: ${feature.id}`, featureTable([feature], (id) => `${itemsUrl}/${encodeURIComponent(id)}?f=html`)));
      reply.type(GEOJSON).header('content-crs', `<${crs}>`);
      return {
        ...withCrs(feature, crs),
        links: [
          ...alternates(request, format, GEOJSON),
          { href: `${baseUrl(request)}/ogc/collections/${collection.id}`, rel: 'collection', type: JSON_TYPE, title: collection.title },
        ],
      };
    },
  );
};
