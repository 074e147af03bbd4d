import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Island } from '../schemas/resources.ts';
import { listIslands } from '../db/repositories/islands.ts';
import type { RouteContext } from './context.ts';

const IslandCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({ type: Type.Literal('Feature'), id: Type.Integer(), properties: Island, geometry: Type.Unknown() })),
});

/** Inhabited-island threshold of the Zhoushan regulation (Art. 6); rule sets may override it. */
export const DEFAULT_INHABITED_THRESHOLD = 50;

export const islandRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex }) => {
  app.get(
    '/v1/islands',
    { schema: { tags: ['islands'], summary: 'Islands (海岛) with residents', response: { 200: IslandCollection } } },
    async () => ({ type: 'FeatureCollection' as const, features: await listIslands(knex, DEFAULT_INHABITED_THRESHOLD) }),
  );
};
