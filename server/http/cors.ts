// Cross-origin reads: a web map on another origin loads tiles, OGC features and /v1 reads (CORS_ORIGINS).
// Only GET and HEAD are shared; writes stay same-origin, so a page elsewhere can't act with a user's key.
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { CorsOrigins } from '../config/env.ts';

const SHARED_METHODS = new Set(['GET', 'HEAD']);

export async function registerCors(app: FastifyInstance, origins: CorsOrigins): Promise<void> {
  if (origins === 'none') return;
  const shared: FastifyCorsOptions = {
    origin: origins === 'any' ? '*' : origins,
    methods: [...SHARED_METHODS],
    allowedHeaders: ['Authorization', 'Accept', 'Accept-Crs', 'If-None-Match'],
    exposedHeaders: ['ETag', 'Link', 'Content-Crs', 'Location', 'Retry-After'],
    maxAge: 600,
  };
  await app.register(cors, {
    delegator: (request, callback) => {
      const method = request.method === 'OPTIONS' ? String(request.headers['access-control-request-method'] ?? '').toUpperCase() : request.method;
      callback(null, SHARED_METHODS.has(method) ? shared : { origin: false });
    },
  });
}
