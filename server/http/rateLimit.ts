// Rate limits: callers without a key are counted per address (the public surface), API keys per key, each in a
// one-minute window. Exceeding answers 429 problem+json with Retry-After.
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config/env.ts';
import { ProblemError } from './problem.ts';

export async function registerRateLimits(app: FastifyInstance, limits: Config['rateLimit']): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    // Per key, not per user: a user's second key (another system of theirs) has its own budget.
    keyGenerator: (request) => (request.keySha256 ? `key:${request.keySha256}` : `ip:${request.ip}`),
    max: (request) => (request.keySha256 ? limits.perKey : limits.public),
    errorResponseBuilder: (_request, context) =>
      new ProblemError(429, 'rate-limited', 'Too many requests', `more than ${context.max} requests per minute; retry in ${context.after}`, [], {
        'retry-after': String(Math.ceil(context.ttl / 1000)),
      }),
  });
}
