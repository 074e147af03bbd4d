// The editor's reference layers in real Chromium against the real service (embedded PGlite, demo data): village
// boundaries from the vector tiles, the household-density heatmap from the OGC collection, vessel positions by
// formation and the maritime authority's alerts. Needs `npm run build:web` first.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MARITIME_REFERENCE_TIME } from '../../db/seeds/maritime.ts';
import { jumpAndSettle, openEditor, renderedOf, rigForFile, saveScreenshot, settled, type WanggeWindow } from './support.ts';

const rig = rigForFile();

const SHENJIAMEN: [number, number] = [122.3, 29.95];
const FISHING_GROUNDS: [number, number] = [122.57, 29.86];

const sourceCount = (page: Page, source: string) =>
  page.evaluate((id) => (window as unknown as { __wangge: { map: { querySourceFeatures(id: string): unknown[] } } }).__wangge.map.querySourceFeatures(id).length, source);
const visibility = (page: Page, layer: string) => page.evaluate((id) => (window as unknown as WanggeWindow).__wangge.map.getLayoutProperty(id, 'visibility') ?? 'visible', layer);

describe('map layers in the browser', () => {
  it('lists every group in the layer switcher, the heatmap off at start', async () => {
    const page = await openEditor(rig);
    const groups = await page.locator('#layers-panel input[data-group]').evaluateAll((boxes) => boxes.map((b) => [(b as HTMLInputElement).dataset.group, (b as HTMLInputElement).checked]));
    expect(groups).toEqual(expect.arrayContaining([['villages', true], ['density', false], ['vessels', true], ['alerts', true]]));
    expect(await page.textContent('#layers-panel')).toContain('村（社区）界线');
    expect(await page.textContent('#layers-panel')).toContain('船舶位置');
    await page.close();
  });

  it('draws village boundaries from the vector tiles when zoomed in, and hides them from the layer switcher', async () => {
    const page = await openEditor(rig);
    const villages = (await rig.service.app.inject({ method: 'GET', url: '/v1/divisions?level=village' })).json().divisions as { code: string }[];
    await jumpAndSettle(page, SHENJIAMEN, 12.5);
    const drawn = await renderedOf(page, 'village-line');
    expect(drawn.length).toBeGreaterThan(0);
    expect(new Set(drawn.map((p) => p.level))).toEqual(new Set(['village']));
    expect(drawn.every((p) => villages.some((v) => v.code === p.code))).toBe(true);
    expect(drawn.some((p) => String(p.code).startsWith('330903001'))).toBe(true);
    await saveScreenshot(page, 'villages');

    await page.uncheck('#layers-panel input[data-group="villages"]');
    expect(await visibility(page, 'village-line')).toBe('none');
    await settled(page);
    expect(await renderedOf(page, 'village-line')).toHaveLength(0);
    await page.check('#layers-panel input[data-group="villages"]');
    expect(await visibility(page, 'village-line')).toBe('visible');
    await page.close();
  });

  it('fetches the household-density cells only when the heatmap is turned on, and draws them as a heatmap', async () => {
    const page = await openEditor(rig);
    const densityRequests: string[] = [];
    page.on('request', (request) => request.url().includes('/ogc/collections/household-density/items') && densityRequests.push(request.url()));
    const cells = (await rig.service.app.inject({ method: 'GET', url: '/ogc/collections/household-density/items?limit=10000' })).json();
    expect(cells.numberMatched).toBeGreaterThan(0);
    await jumpAndSettle(page, SHENJIAMEN, 10);
    expect(densityRequests).toEqual([]);
    const before = await page.locator('#map canvas').screenshot();

    await page.check('#layers-panel input[data-group="density"]');
    await expect.poll(() => densityRequests.length).toBe(1);
    expect(await visibility(page, 'density-heat')).toBe('visible');
    await expect.poll(() => sourceCount(page, 'density'), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __wangge: { map: { getLayer(id: string): { type: string } } } }).__wangge.map.getLayer('density-heat').type)).toBe('heatmap');
    await settled(page);
    const after = await page.locator('#map canvas').screenshot();
    expect(after.equals(before)).toBe(false);
    await saveScreenshot(page, 'density-heatmap');

    // Off and on again: no second request, the cells are kept.
    await page.uncheck('#layers-panel input[data-group="density"]');
    expect(await visibility(page, 'density-heat')).toBe('none');
    await page.check('#layers-panel input[data-group="density"]');
    expect(densityRequests).toHaveLength(1);
    await page.close();
  });

  it('draws every vessel at its last position, coloured and labelled by formation, with the formations in the legend', async () => {
    const page = await openEditor(rig);
    const vessels = (await rig.service.app.inject({ method: 'GET', url: '/v1/vessels?limit=10000' })).json().vessels as { mmsi: string; registeredName: string; formationCode: string | null; lastPosition: unknown }[];
    const reporting = vessels.filter((v) => v.lastPosition);
    expect(reporting.length).toBeGreaterThan(0);
    await page.waitForSelector('body[data-sea="true"]', { state: 'attached' });
    await jumpAndSettle(page, FISHING_GROUNDS, 11);
    const drawn = await renderedOf(page, 'vessel-circle');
    const shown = vessels.filter((v) => drawn.some((d) => d.mmsi === v.mmsi));
    expect(shown.length).toBeGreaterThanOrEqual(8);
    // One colour per formation, different formations apart, vessels in no formation in the unassigned grey.
    const colourOf = new Map<string, Set<unknown>>();
    for (const d of drawn) colourOf.set(String(d.formationCode), (colourOf.get(String(d.formationCode)) ?? new Set()).add(d.colour));
    expect([...colourOf.values()].every((colours) => colours.size === 1)).toBe(true);
    const formationColours = [...colourOf].filter(([code]) => code !== '').map(([, colours]) => [...colours][0]);
    expect(new Set(formationColours).size).toBe(formationColours.length);
    expect(formationColours.length).toBeGreaterThanOrEqual(2);
    for (const d of drawn) expect(d.formationCode).toBe(vessels.find((v) => v.mmsi === d.mmsi)!.formationCode ?? '');
    const labels = await renderedOf(page, 'vessel-label');
    expect(labels.some((l) => l.name === '浙普渔60101' && String(l.formation).includes('编组'))).toBe(true);

    const legend = await page.locator('#legend-panel .legend-row[data-shape="dot"]').allTextContents();
    expect(legend.some((text) => text.includes('普渔第一编组'))).toBe(true);
    expect(legend.some((text) => text.includes('未编组'))).toBe(true);
    await saveScreenshot(page, 'vessels');
    await page.close();
  });

  it('shows the maritime authority the alerts now and at the latest report, rings them on the map and zooms to one', async () => {
    const page = await openEditor(rig);
    expect(await page.isHidden('#alerts-panel')).toBe(true);
    await page.selectOption('#role-switch', 'demo-maritime');
    await expect.poll(() => page.isVisible('#alerts-panel')).toBe(true);

    const now = (await rig.service.app.inject({ method: 'GET', url: '/v1/alerts', headers: { authorization: 'Bearer demo-maritime' } })).json().alerts as unknown[];
    await expect.poll(() => page.getAttribute('#alerts-summary', 'data-count'), { timeout: 30_000 }).toBe(String(now.length));
    // The demo tracks end at a fixed time; "now" every member has gone quiet.
    expect(await page.locator('#alerts-panel li[data-kind="stale_member"]').count()).toBe(now.length);

    await page.click('#alerts-latest');
    await expect.poll(() => page.locator('#alerts-panel li[data-kind="left_formation"]').count(), { timeout: 30_000 }).toBe(1);
    const at = (await rig.service.app.inject({ method: 'GET', url: `/v1/alerts?at=${encodeURIComponent(MARITIME_REFERENCE_TIME.toISOString())}`, headers: { authorization: 'Bearer demo-maritime' } })).json().alerts as { kind: string; vessel: { mmsi: string } }[];
    const listed = await page.locator('#alerts-panel li[data-kind]').evaluateAll((items) => items.map((li) => `${(li as HTMLElement).dataset.kind}:${(li as HTMLElement).dataset.mmsi}`));
    expect(listed.sort()).toEqual(at.map((a) => `${a.kind}:${a.vessel.mmsi}`).sort());
    expect(listed).toEqual(expect.arrayContaining(['left_formation:412000104', 'aquaculture_intrusion:412000108']));
    expect(await page.textContent('#alerts-panel li[data-kind="left_formation"]')).toContain('离开编组');

    await page.click('#alerts-panel li[data-kind="left_formation"]');
    const centre = await page.evaluate(() => (window as unknown as WanggeWindow).__wangge.map.getCenter());
    expect(centre.lng).toBeCloseTo(122.655, 3);
    expect(centre.lat).toBeCloseTo(29.9, 3);
    await settled(page);
    const rings = await renderedOf(page, 'alert-ring');
    expect(rings.map((r) => r.mmsi)).toContain('412000104');
    await saveScreenshot(page, 'alerts');

    await page.click('#language-switch');
    expect(await page.textContent('#alerts-panel h2')).toBe('Alerts at sea');
    expect(await page.textContent('#alerts-panel li[data-kind="left_formation"]')).toContain('outside formation');
    await page.click('#language-switch');

    // Another role has no alerts panel and no rings.
    await page.selectOption('#role-switch', 'demo-planner');
    await expect.poll(() => page.isHidden('#alerts-panel')).toBe(true);
    await settled(page);
    expect(await renderedOf(page, 'alert-ring')).toHaveLength(0);
    await page.close();
  });

  it('sent no request to any host but 127.0.0.1', () => {
    expect(rig.foreignRequests).toEqual([]);
  });
});
