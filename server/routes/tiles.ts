// Vector tiles (MVT) and their TileJSON documents for the editor's map and anyone else's.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../schemas/resources.ts';
import { BinaryBody, mediaTypeResponse } from '../schemas/common.ts';
import { renderTile, tileLayerBounds } from '../db/repositories/tiles.ts';
import { TILE_LAYERS, findTileLayer, type TileLayer } from '../domain/tiles/layers.ts';
import { TileCache, registerTileCache, type CachedTile, type TileKey } from '../domain/tiles/cache.ts';
import { MAX_ZOOM, tileAddressError } from '../domain/tiles/tile-math.ts';
import { invalidParameter, notFound } from '../http/problem.ts';
import { requireRegistryRead } from '../http/auth.ts';
import { onFilingLanded } from '../events/filings.ts';
import { onFootprintsMoved } from '../events/footprints.ts';
import { loadRuleSet } from '../rulesets/index.ts';
import type { RouteContext } from './context.ts';

export { invalidateTiles } from '../domain/tiles/cache.ts';

const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
/**
 * Clients revalidate after a minute (ETag makes that cheap); a filing changes tiles and drops them from the cache.
 * In production tiles are answered to keys only, so shared caches must not keep them (`public` would let them).
 */
const cacheControl = (openReads: boolean) => `${openReads ? 'public' : 'private'}, max-age=60`;
const CACHE_BYTES = 64 * 1024 * 1024;
const ATTRIBUTION =
  'Island outlines © OpenStreetMap contributors (ODbL); division boundaries, grids and household counts are synthetic demo data';

const gzipAsync = promisify(gzip);

const TileJson = Type.Object({
  tilejson: Type.Literal('3.0.0'),
  name: Type.String(),
  description: Type.String(),
  attribution: Type.String(),
  scheme: Type.Literal('xyz'),
  tiles: Type.Array(Type.String()),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  bounds: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  center: Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }),
  vector_layers: Type.Array(
    Type.Object({
      id: Type.String(),
      description: Type.String(),
      minzoom: Type.Integer(),
      maxzoom: Type.Integer(),
      fields: Type.Record(Type.String(), Type.String()),
    }),
  ),
});

const TileLayerList = Type.Object({
  layers: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), tilejson: Type.String() })),
});

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function layerOrNotFound(name: string): TileLayer {
  const layer = findTileLayer(name);
  if (!layer) throw notFound('tile layer', `${name} (known: ${TILE_LAYERS.map((l) => l.name).join(', ')})`);
  return layer;
}

const etagOf = (body: Uint8Array) => createHash('sha1').update(body).digest('base64url').slice(0, 22);

/** Weak tags, one per variant: the plain and gzip bodies differ in bytes but not in meaning (RFC 9110 §8.8.1). */
const variantTag = (etag: string, gzipped: boolean) => `W/"${etag}${gzipped ? '-gzip' : ''}"`;

/** If-None-Match by weak comparison: `*`, or either variant's tag with or without its `W/` prefix. */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag === `"${etag}"` || tag === `"${etag}-gzip"`;
  });
}

/** Whether the client takes gzip: named with a non-zero q, or `*`. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

export const tileRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, backend, config }) => {
  // Tiles draw the registry: in production only keys read them, as /v1.
  const openReads = config.mode === 'demo';
  app.addHook('onRequest', requireRegistryRead(openReads));
  const cache = new TileCache({ maxBytes: CACHE_BYTES });
  const unregister = registerTileCache(cache);
  // A filing replaces grids; the event names only the township, and grid tiles are cheap to redraw.
  const unsubscribe = onFilingLanded(() => cache.invalidate({ layers: ['grids', 'micro-grids', 'sea-grids'] }));
  // Position ingest moved formation footprints: only sea-grid tiles change.
  const unsubscribeFootprints = onFootprintsMoved(() => cache.invalidate({ layers: ['sea-grids'] }));
  app.addHook('onClose', async () => {
    unregister();
    unsubscribe();
    unsubscribeFootprints();
  });
  // Concurrent requests for one uncached tile share a single render, unless an invalidation came between them.
  const rendering = new Map<string, Promise<CachedTile>>();
  const renderOptions = { inhabitedThreshold: loadRuleSet(config.ruleSet).islands.inhabitedResidents };

  async function tileFor(key: TileKey): Promise<CachedTile> {
    const cached = cache.get(key);
    if (cached) return cached;
    const generation = cache.generation(key.layer);
    const id = `${key.layer}/${key.z}/${key.x}/${key.y}@${generation}`;
    let pending = rendering.get(id);
    if (!pending) {
      pending = renderTile(knex, backend, key.layer as TileLayer['name'], key, renderOptions)
        .then((body) => {
          const tile = { body, etag: etagOf(body) };
          if (cache.generation(key.layer) === generation) cache.set(key, tile);
          return tile;
        })
        .finally(() => rendering.delete(id));
      rendering.set(id, pending);
    }
    return pending;
  }

  async function send(request: FastifyRequest, reply: FastifyReply, key: TileKey, tile: CachedTile) {
    const gzipped = tile.body.byteLength > 0 && acceptsGzip(request.headers['accept-encoding']);
    reply.header('etag', variantTag(tile.etag, gzipped)).header('cache-control', cacheControl(openReads)).header('vary', 'Accept-Encoding');
    if (notModified(request.headers['if-none-match'], tile.etag)) return reply.code(304).send();
    if (tile.body.byteLength === 0) return reply.code(204).send();
    reply.type(MVT_CONTENT_TYPE);
    if (!gzipped) return reply.send(Buffer.from(tile.body));
    if (!tile.gzip) {
      tile.gzip = new Uint8Array(await gzipAsync(tile.body));
      cache.update(key, tile);
    }
    return reply.header('content-encoding', 'gzip').send(Buffer.from(tile.gzip));
  }

  app.get(
    '/tiles',
    { schema: { tags: ['tiles'], summary: 'Vector tile layers and their TileJSON documents', response: { 200: TileLayerList, 401: Problem } } },
    async (request) => ({
      layers: TILE_LAYERS.map((l) => ({ name: l.name, description: l.description, tilejson: `${baseUrl(request)}/tiles/${l.name}.json` })),
    }),
  );

  app.get(
    '/tiles/:layer.json',
    {
      schema: {
        tags: ['tiles'],
        summary: 'TileJSON 3.0.0 for one layer',
        params: Type.Object({ layer: Type.String() }),
        response: { 200: TileJson, 401: Problem, 404: Problem },
      },
    },
    async (request) => {
      const layer = layerOrNotFound(request.params.layer);
      const bounds = (await tileLayerBounds(knex, layer.name, renderOptions)) ?? [-180, -85.0511, 180, 85.0511];
      return {
        tilejson: '3.0.0' as const,
        name: layer.name,
        description: layer.description,
        attribution: ATTRIBUTION,
        scheme: 'xyz' as const,
        tiles: [`${baseUrl(request)}/tiles/${layer.name}/{z}/{x}/{y}.mvt`],
        minzoom: layer.minzoom,
        maxzoom: layer.maxzoom,
        bounds,
        center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 10],
        vector_layers: [
          { id: layer.name, description: layer.description, minzoom: layer.minzoom, maxzoom: layer.maxzoom, fields: layer.fields },
        ],
      };
    },
  );

  app.get(
    '/tiles/:layer/:z/:x/:y.mvt',
    {
      schema: {
        tags: ['tiles'],
        summary: 'One Mapbox Vector Tile (204 when the layer has nothing there); gzip when accepted, ETag, Cache-Control',
        params: Type.Object({
          layer: Type.String(),
          z: Type.Integer({ minimum: 0, maximum: MAX_ZOOM }),
          x: Type.Integer({ minimum: 0 }),
          y: Type.Integer({ minimum: 0 }),
        }),
        response: {
          200: mediaTypeResponse('The tile (gzip-encoded when the client accepts gzip)', { [MVT_CONTENT_TYPE]: BinaryBody }),
          204: Type.Null({ description: 'The layer has nothing in this tile' }),
          304: Type.Null({ description: 'Not modified: If-None-Match holds either variant\'s ETag (weak comparison) or *' }),
          400: Problem,
          401: Problem,
          404: Problem,
        },
      },
    },
    async (request, reply) => {
      const { layer: name, z, x, y } = request.params;
      const layer = layerOrNotFound(name);
      const wrong = tileAddressError({ z, x, y });
      if (wrong) throw invalidParameter(wrong, `${wrong} must lie within 0…${2 ** z - 1} at zoom ${z}`);
      const key = { layer: layer.name, z, x, y };
      return send(request, reply, key, await tileFor(key));
    },
  );
};
