// Builds the HTTP application: schemas and OpenAPI, problem+json errors, API routes and the editor's static files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { buildValidator } from './http/validation.ts';
import { ID_FORMAT } from './http/params.ts';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/env.ts';
import type { Database } from './db/database.ts';
import { clientErrorHandler, frameworkErrors, registerProblemHandlers } from './http/errors.ts';
import { rejectNulCharacters } from './http/text.ts';
import { requireKeyForWrites } from './http/writes.ts';
import type { RouteContext } from './routes/context.ts';
import { healthRoutes } from './routes/health.ts';
import { divisionRoutes } from './routes/divisions.ts';
import { gridRoutes } from './routes/grids.ts';
import { islandRoutes } from './routes/islands.ts';
import { validateRoutes } from './routes/validate.ts';
import { planRoutes } from './routes/plans.ts';
import { filingRoutes } from './routes/filings.ts';
import { registerAuthentication } from './http/auth.ts';
import { registerCors } from './http/cors.ts';
import { registerRateLimits } from './http/rateLimit.ts';
import { correctedDocument } from './http/openapi.ts';
import { tileRoutes } from './routes/tiles.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { lookupRoutes } from './routes/lookup.ts';
import { LookupService } from './lookup/lookup-service.ts';
import { suggestRoutes } from './routes/suggest.ts';
import { jobRoutes } from './routes/jobs.ts';
import { noticeRoutes } from './routes/notices.ts';
import { transferRoutes } from './routes/transfer.ts';
import { vesselRoutes } from './routes/vessels.ts';
import { positionRoutes } from './routes/positions.ts';
import { alertRoutes } from './routes/alerts.ts';
import { keyRoutes } from './routes/keys.ts';
import { staffRoutes } from './routes/staff.ts';
import { adminRoutes } from './routes/admin.ts';

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

export interface AppOptions {
  db: Database;
  config: Config;
  logger?: FastifyBaseLogger;
}

export async function buildApp({ db, config, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: 50 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, formats: { [ID_FORMAT.name]: ID_FORMAT.definition } } },
    schemaController: { compilersFactory: { buildValidator } },
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerProblemHandlers(app);
  // Before authentication, so a refused key's 401 still carries the CORS headers a browser needs to read it.
  await registerCors(app, config.corsOrigins);
  await registerAuthentication(app, db);
  requireKeyForWrites(app);
  rejectNulCharacters(app);
  await registerRateLimits(app, config.rateLimit);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Wangge (网格) API',
        version: '1',
        description: 'Grid partitions, islands, sea grids and grid codes for grid-based community management.',
      },
      tags: [
        { name: 'service' },
        { name: 'divisions', description: '行政区划' },
        { name: 'grids', description: '网格' },
        { name: 'islands', description: '海岛' },
        { name: 'tiles', description: 'Vector tiles (MVT) and TileJSON' },
        { name: 'ogc', description: 'OGC API – Features' },
        { name: 'lookup', description: 'Point and vessel → grid' },
        { name: 'staff', description: '网格力量: grid staff rosters, changed without refiling' },
        { name: 'notices', description: '公示: public notices of filed grids (舟山条例 Art. 22)' },
        { name: 'vessels', description: '船舶: registry, position ingest, alerts at sea' },
        { name: 'admin', description: 'Administration: users, roles, scopes and API keys' },
      ],
    },
    transformObject: (document) => ('openapiObject' in document ? correctedDocument(document.openapiObject) : document.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const context: RouteContext = { knex: db.knex, backend: db.backend, config };
  const lookup = new LookupService({ knex: db.knex, backend: db.backend, engine: config.lookupEngine, connectionString: db.connectionString, log: app.log });
  await lookup.start();
  app.addHook('onClose', () => lookup.stop());
  await app.register(lookupRoutes, { ...context, lookup });
  const routes = [
    healthRoutes, divisionRoutes, gridRoutes, islandRoutes, validateRoutes, planRoutes, filingRoutes, tileRoutes, ogcRoutes,
    suggestRoutes, jobRoutes, noticeRoutes, transferRoutes, vesselRoutes, positionRoutes, alertRoutes, keyRoutes, staffRoutes, adminRoutes,
  ];
  for (const plugin of routes) await app.register(plugin, context);

  if (existsSync(WEB_DIST)) await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false });
  return app;
}
