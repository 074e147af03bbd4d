// The public surface is rate limited per address; API keys have their own, larger budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

describe.each(BACKENDS)('rate limits on %s', (backend) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(backend, { SEED_DEMO: 'false', RATE_LIMIT_PUBLIC: '3', RATE_LIMIT_PER_KEY: '5' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers 429 problem+json with Retry-After once an address exceeds the public limit', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await service.app.inject({ method: 'GET', url: '/v1/divisions' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await service.app.inject({ method: 'GET', url: '/v1/divisions' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ status: 429, title: 'Too many requests' });
  });

  it('counts an API key on its own budget', async () => {
    const asClient = () => service.app.inject({ method: 'GET', url: '/v1/divisions', headers: { authorization: 'Bearer demo-client' } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await asClient()).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
