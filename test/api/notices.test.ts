// Public notices (公示) through HTTP on both backends: open to anonymous callers, phones and hotline shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

const TOWNSHIP = '330903001000'; // 沈家门街道, filed in the demo on 2024-01-15

/** Every http(s) URL in the page: the notice must print offline, so there must be none at all. */
const urls = (html: string) => html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];

describe.each(BACKENDS)('public notices on %s', (backend) => {
  let service: TestService;
  let grid: { code: string; name: string; staff: Array<{ role: string; name: string; phone: string | null }> };
  let gridCount: number;
  const get = (url: string) => service.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    service = await startTestService(backend, { NOTICE_HOTLINE: '0580-12345' });
    const res = await get(`/v1/divisions/${TOWNSHIP}/notice`);
    expect(res.statusCode).toBe(200);
    const notices = res.json().notices;
    gridCount = notices.length;
    // The township's notices include its sea grids; these tests follow a land grid of a village.
    grid = notices.find((n: { kind: string }) => n.kind === 'comprehensive');
  }, 180_000);
  afterAll(async () => {
    await service?.close();
  });

  it('gives the JSON notice of a 沈家门 grid with leader and worker phones and the configured hotline', async () => {
    const res = await get(`/v1/grids/${grid.code}/notice`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ code: grid.code, kind: 'comprehensive', hotline: '0580-12345', validFrom: '2024-01-15' });
    expect(body.division.chain.map((d: { level: string }) => d.level)).toEqual(['village', 'township', 'county', 'city']);
    expect(body.division.chain[1].code).toBe(TOWNSHIP);
    const leader = body.staff.find((s: { role: string }) => s.role === 'leader');
    const worker = body.staff.find((s: { role: string }) => s.role === 'full_time');
    expect(leader.phone).toMatch(/^1\d{10}$/);
    expect(worker.phone).toMatch(/^1\d{10}$/);
    expect(body.areaKm2).toBeGreaterThan(0);
    expect(body.geometry.type).toMatch(/Polygon$/);
    // The registry read of the same grid hides the phones from anonymous callers; the notice must not.
    const registry = (await get(`/v1/grids/${grid.code}`)).json();
    expect(registry.properties.staff.some((s: { phone?: string }) => s.phone)).toBe(false);
  });

  it('prints the grid notice as self-contained A4 HTML with the map', async () => {
    const res = await get(`/v1/grids/${grid.code}/notice?f=html`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html).toContain('<svg');
    expect(html).toContain('@page { size: A4');
    expect(html).toContain(grid.code);
    const leader = grid.staff.find((s) => s.role === 'leader')!;
    expect(html).toContain(leader.name);
    expect(html).toContain(leader.phone);
    expect(html).toContain('0580-12345');
    expect(urls(html)).toEqual([]);
    expect(html).not.toMatch(/<(script|link|img)\b/);
    // Neighbouring grids are drawn in grey around the grid.
    expect(html.match(/<g class="context"[^>]*>(.*?)<\/g>/s)?.[1]).toContain('<path');
  });

  it('carries the filing chain head on every notice, JSON and HTML, as GET /v1/filings/head publishes it', async () => {
    const head = (await get('/v1/filings/head')).json();
    expect(head).toEqual({ number: expect.stringMatching(/^BA\d{4}-\d{5}$/), chainSeq: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), filedAt: expect.any(String) });
    expect((await get(`/v1/grids/${grid.code}/notice`)).json().chainHead).toEqual(head);
    const division = (await get(`/v1/divisions/${TOWNSHIP}/notice`)).json();
    expect(division.chainHead).toEqual(head);
    expect(division.notices.every((n: { chainHead: unknown }) => JSON.stringify(n.chainHead) === JSON.stringify(head))).toBe(true);
    for (const url of [`/v1/grids/${grid.code}/notice?f=html`, `/v1/divisions/${TOWNSHIP}/notice?f=html`]) {
      const footers = (await get(url)).body.match(/<footer>.*?<\/footer>/gs) ?? [];
      expect(footers.length).toBeGreaterThan(0);
      for (const footer of footers) expect(footer).toMatch(new RegExp(`${head.number}.*${head.sha256}`, 's'));
    }
  });

  it('prints the township as one document: an overview, then one page per grid', async () => {
    const res = await get(`/v1/divisions/${TOWNSHIP}/notice?f=html`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(gridCount).toBeGreaterThan(1);
    expect(html.match(/<section class="notice-page overview"/g)).toHaveLength(1);
    expect(html.match(/<section class="notice-page grid-notice"/g)).toHaveLength(gridCount);
    expect(html).toContain('page-break-before: always');
    expect(html).toContain(`data-code="${grid.code}"`);
    expect(urls(html)).toEqual([]);
  });

  it('narrows to a village', async () => {
    const village = grid.code.slice(0, 12);
    const body = (await get(`/v1/divisions/${village}/notice`)).json();
    expect(body.division.code).toBe(village);
    expect(body.notices.length).toBeGreaterThan(0);
    expect(body.notices.length).toBeLessThan(gridCount);
    expect(body.notices.every((n: { code: string }) => n.code.startsWith(village))).toBe(true);
  });

  it('honours ?at: the filed partition on a date, none before the first filing', async () => {
    const after = await get(`/v1/grids/${grid.code}/notice?at=2024-02-01`);
    expect(after.statusCode).toBe(200);
    const before = await get(`/v1/grids/${grid.code}/notice?at=2023-12-31`);
    expect(before.statusCode).toBe(404);
    expect(before.headers['content-type']).toMatch(/^application\/problem\+json/);
    const empty = await get(`/v1/divisions/${TOWNSHIP}/notice?at=2023-12-31`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ at: '2023-12-31', notices: [] });
    const emptyHtml = (await get(`/v1/divisions/${TOWNSHIP}/notice?at=2023-12-31&f=html`)).body;
    expect(emptyHtml).toContain('尚无已备案网格');
    expect(emptyHtml).not.toContain('class="notice-page grid-notice"');
  });

  it('answers unknown grids and divisions with 404 and bad input with 400', async () => {
    const noGrid = await get('/v1/grids/330903001999999/notice');
    expect(noGrid.statusCode).toBe(404);
    expect(noGrid.json().detail).toContain('330903001999999');
    expect((await get('/v1/divisions/330999999999/notice')).statusCode).toBe(404);
    expect((await get('/v1/divisions/330903000000/notice')).statusCode).toBe(400);
    expect((await get(`/v1/grids/${grid.code}/notice?at=2024-02-30`)).statusCode).toBe(400);
    expect((await get(`/v1/grids/${grid.code}/notice?f=pdf`)).statusCode).toBe(400);
  });
});
