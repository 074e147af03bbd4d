import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { storeStatus } from '../db/repositories/health.ts';
import type { RouteContext } from './context.ts';

const Health = Type.Object({
  status: Type.Literal('ok'),
  backend: Type.Union([Type.Literal('embedded'), Type.Literal('postgresql')]),
  postgis: Type.String(),
  mode: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer()),
});

export const healthRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, backend, config }) => {
  app.get('/health', { schema: { tags: ['service'], summary: 'Backend kind, PostGIS version and row counts', response: { 200: Health } } }, async () => {
    const { postgis, counts } = await storeStatus(knex);
    return { status: 'ok' as const, backend, postgis, mode: config.mode, counts };
  });
};
