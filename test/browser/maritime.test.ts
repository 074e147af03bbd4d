// The maritime authority's work in real Chromium against the real service (embedded PGlite, demo data): building a
// formation from the vessel list (the vessel layer recolours), and drawing an offshore operation zone into a sea plan.
// Its own service: moving vessels between formations would change what map-layers.test.ts sees. Needs
// `npm run build:web` first.
import { bbox, booleanIntersects, polygon } from '@turf/turf';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { jumpAndSettle, openEditor, renderedOf, rigForFile, saveScreenshot, screenPoint, settled, type GridLike, type WanggeWindow } from './support.ts';

const TOWNSHIP = '330903001000';
const FISHING_GROUNDS: [number, number] = [122.57, 29.86];
const rig = rigForFile();

const maritime = { authorization: 'Bearer demo-maritime' };
type VesselLike = { id: string; mmsi: string; registeredName: string; formationCode: string | null };
const vessels = async () => (await rig.service.app.inject({ method: 'GET', url: '/v1/vessels?limit=10000', headers: maritime })).json().vessels as VesselLike[];
const draft = (page: Page) => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state);

describe('the maritime authority in the browser', () => {
  it('builds a formation from the vessel list: ticked vessels go into the chosen formation and the vessel layer recolours', async () => {
    const seaGrids = (await rig.service.app.inject({ method: 'GET', url: '/v1/grids?kind=maritime&limit=1000' })).json().features as GridLike[];
    const formations = seaGrids.filter((g) => (g.properties as unknown as { subkind: string }).subkind === 'vessel_formation');
    const first = formations.find((g) => g.properties.name.startsWith('普渔第一编组'))!;
    const second = formations.find((g) => g.properties.name.startsWith('普渔第二编组'))!;
    const before = await vessels();
    const moving = before.filter((v) => ['浙普渔60105', '浙普渔60106', '浙普渔60112'].includes(v.registeredName));
    expect(moving.map((v) => v.formationCode).sort()).toEqual([second.properties.code, second.properties.code, null].sort());
    const stayingFirst = before.find((v) => v.registeredName === '浙普渔60101')!;

    // Only the maritime authority gets the list.
    const planner = await openEditor(rig, { key: 'demo-planner' });
    await planner.waitForSelector('body[data-sea="true"]', { state: 'attached' });
    expect(await planner.isHidden('#fleet-panel')).toBe(true);
    await planner.close();

    const page = await openEditor(rig, { key: 'demo-maritime' });
    await page.waitForSelector('body[data-sea="true"]', { state: 'attached' });
    await expect.poll(() => page.locator('#fleet-panel li[data-vessel-id]').count()).toBe(before.length);
    await jumpAndSettle(page, FISHING_GROUNDS, 11);
    const colourOf = async (mmsi: string) => (await renderedOf(page, 'vessel-circle')).find((p) => p.mmsi === mmsi)?.colour;
    const firstColour = await colourOf(stayingFirst.mmsi);
    expect(firstColour).toBeDefined();
    for (const v of moving) expect(await colourOf(v.mmsi)).not.toBe(firstColour);

    for (const v of moving) await page.check(`#fleet-panel li[data-vessel-id="${v.id}"] input`);
    expect(await page.textContent('#fleet-panel')).toContain('已选 3 艘');
    await page.selectOption('#fleet-formation', first.properties.code);
    await page.click('#fleet-assign');
    await expect.poll(() => page.textContent('#fleet-panel .message.info'), { timeout: 30_000 }).toContain(`已将 3 艘船编入 ${first.properties.name}`);

    const after = await vessels();
    for (const v of moving) expect(after.find((a) => a.id === v.id)!.formationCode).toBe(first.properties.code);
    for (const v of moving) expect(await page.getAttribute(`#fleet-panel li[data-vessel-id="${v.id}"]`, 'data-formation')).toBe(first.properties.code);
    await settled(page);
    // Drawn in the first formation's colour now, and labelled with its name.
    for (const v of moving) await expect.poll(() => colourOf(v.mmsi)).toBe(firstColour);
    const labels = await renderedOf(page, 'vessel-label');
    expect(labels.filter((l) => moving.some((v) => v.registeredName === l.name)).every((l) => l.formation === first.properties.name)).toBe(true);
    expect(await page.locator('#fleet-panel input:checked').count()).toBe(0);
    await saveScreenshot(page, 'formation-built');
    await page.close();
  });

  it('draws an offshore operation zone into a new sea plan, names it and saves it to the plan', async () => {
    // Open sea east of 桃花岛, clear of land and of the demo's sea grids.
    const zone = polygon([[[122.63, 29.86], [122.66, 29.86], [122.66, 29.88], [122.63, 29.88], [122.63, 29.86]]]);
    const islands = (await rig.service.app.inject({ method: 'GET', url: '/v1/islands' })).json().features;
    expect(islands.some((i: GridLike) => booleanIntersects(i, zone))).toBe(false);

    const page = await openEditor(rig, { key: 'demo-maritime' });
    await page.selectOption('#draft-township', TOWNSHIP);
    expect(await page.textContent('#plan-create')).toBe('从已备案海上网格创建海上方案');
    await page.click('#plan-create');
    await expect.poll(() => page.getAttribute('#plan-status', 'data-status'), { timeout: 30_000 }).toBe('draft');
    expect(await page.getAttribute('#plan-status', 'data-scope')).toBe('maritime');
    const planId = (await page.textContent('#plan-status'))!.match(/#(\d+)/)![1];
    const planGrids = async () => (await rig.service.app.inject({ method: 'GET', url: `/v1/plans/${planId}/grids`, headers: maritime })).json().features as (GridLike & { properties: { subkind: string | null } })[];
    const started = await planGrids();
    // Started from the township's filed sea grids only.
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((g) => g.properties.kind === 'maritime')).toBe(true);

    await page.evaluate((box) => (window as unknown as { __wangge: { map: { fitBounds(b: number[], o: object): void } } }).__wangge.map.fitBounds(box, { padding: 200, duration: 0 }), bbox(zone));
    await settled(page);
    const corners = await Promise.all(zone.geometry.coordinates[0].map((c) => screenPoint(page, c as [number, number])));
    await page.keyboard.press('d');
    for (const { x, y } of corners) {
      await page.mouse.move(x, y, { steps: 4 });
      await page.mouse.click(x, y);
    }
    await expect.poll(async () => (await draft(page)).features.length).toBe(1);
    // A grid drawn in a sea plan starts as a sea zone; the type list says which kind.
    expect((await draft(page)).features[0].properties).toMatchObject({ kind: 'maritime', subkind: 'aquaculture' });
    await page.selectOption('#draft-type', { label: '海上专属网格 · 海上作业区' });
    await page.fill('#draft-name', '桃花东海上作业区 (test)');
    await page.press('#draft-name', 'Enter');
    await expect.poll(async () => (await draft(page)).features[0].properties).toMatchObject({ kind: 'maritime', subkind: 'offshore_operation', name: '桃花东海上作业区 (test)' });
    await expect.poll(() => page.textContent('#validation-panel .summary'), { timeout: 30_000 }).toMatch(/个错误|个警告|未发现问题/);
    await saveScreenshot(page, 'sea-zone-drawn');

    await page.click('#plan-add-draft');
    await expect.poll(async () => (await draft(page)).features.length, { timeout: 30_000 }).toBe(0);
    const saved = (await planGrids()).filter((g) => !started.some((s) => s.id === g.id));
    expect(saved).toHaveLength(1);
    expect(saved[0].properties).toMatchObject({ name: '桃花东海上作业区 (test)', kind: 'maritime', subkind: 'offshore_operation', divisionCode: TOWNSHIP, code: null });
    const [w, s, e, n] = bbox(saved[0]);
    expect([w, s, e, n].map((v) => Number(v.toFixed(2)))).toEqual([122.63, 29.86, 122.66, 29.88]);
    await expect.poll(() => page.locator('#plan-panel .plan-grids input').count(), { timeout: 30_000 }).toBe(started.length + 1);
    await page.close();
  });

  it('sent no request to any host but 127.0.0.1', () => {
    expect(rig.foreignRequests).toEqual([]);
  });
});
