// Current alerts at sea, computed from the registry and the latest positions (nothing stored).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AlertList } from '../schemas/maritime.ts';
import { Problem } from '../schemas/resources.ts';
import { alertState } from '../db/repositories/vessels.ts';
import { currentAlerts, DEFAULT_ALERTS } from '../domain/maritime/alerts.ts';
import { authorize } from '../http/auth.ts';
import { invalidParameter } from '../http/problem.ts';
import type { RouteContext } from './context.ts';

export const alertRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';

  app.get(
    '/v1/alerts',
    {
      schema: {
        tags: ['vessels'],
        summary: 'Current alerts: members that left their formation, stale members, vessels in aquaculture zones not theirs',
        querystring: Type.Object({
          at: Type.Optional(Type.String({ description: 'ISO 8601 time; default now' })),
          freshnessMinutes: Type.Number({ exclusiveMinimum: 0, default: DEFAULT_ALERTS.freshnessMs / 60_000 }),
          bufferM: Type.Number({ minimum: 0, default: DEFAULT_ALERTS.bufferM }),
          leaveDistanceM: Type.Number({ minimum: 0, default: DEFAULT_ALERTS.leaveDistanceM }),
        }),
        response: { 200: AlertList, 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const { freshnessMinutes, bufferM, leaveDistanceM } = request.query;
      const at = request.query.at === undefined ? new Date() : new Date(request.query.at);
      if (Number.isNaN(at.getTime())) throw invalidParameter('at', `"${request.query.at}" is not an ISO 8601 time`);
      const state = await alertState(knex, at);
      const alerts = currentAlerts(state.formations, state.zones, state.vessels, { now: at.getTime(), freshnessMs: freshnessMinutes * 60_000, bufferM, leaveDistanceM });
      return {
        at: at.toISOString(),
        options: { freshnessMinutes, bufferM, leaveDistanceM },
        alerts: alerts.map((a) => ({ ...a, position: a.position && { lon: a.position.lon, lat: a.position.lat, time: new Date(a.position.time).toISOString() } })),
      };
    },
  );
};
