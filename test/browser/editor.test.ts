// The editor in real Chromium against the real service (embedded PGlite, demo data): map, card, search, language,
// drawing and undo, local findings, and no request leaving 127.0.0.1. Needs `npm run build:web` first.
import { booleanIntersects, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openEditor as open, rigForFile, screenPoint, type GridLike, type WanggeWindow } from './support.ts';

const rig = rigForFile();

const openEditor = () => open(rig);

async function firstGrid(): Promise<Feature<Polygon | MultiPolygon, { code: string; name: string }>> {
  const response = await rig.service.app.inject({ method: 'GET', url: '/v1/grids?limit=1' });
  return response.json().features[0];
}

describe('editor in the browser', () => {
  it('loads the map with the filed grids drawn and the count from the API in the status line', async () => {
    const page = await openEditor();
    const total = (await rig.service.app.inject({ method: 'GET', url: '/v1/grids?limit=1' })).json().numberMatched as number;
    expect(total).toBeGreaterThan(0);
    const rendered = await page.evaluate(() => (window as unknown as WanggeWindow).__wangge.map.queryRenderedFeatures({ layers: ['grid-fill'] }).length);
    expect(rendered).toBeGreaterThan(0);
    await expect.poll(() => page.textContent('#status')).toContain(`${total} 个网格`);
    await page.close();
  });

  it('opens the card of the grid under a click, with its code', async () => {
    const page = await openEditor();
    const grid = await firstGrid();
    const inside = pointOnFeature(grid).geometry.coordinates as [number, number];
    await page.evaluate((center) => {
      const { map } = (window as unknown as WanggeWindow).__wangge;
      return new Promise<void>((resolve) => {
        map.once('idle', resolve);
        map.jumpTo({ center, zoom: 15 });
      });
    }, inside);
    const at = await screenPoint(page, inside);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.textContent('#grid-card [data-field="card.code"]')).toBe(grid.properties.code);
    expect(await page.textContent('#grid-card h2')).toContain(grid.properties.name);
    await page.close();
  });

  it('finds a grid by its code and opens its card', async () => {
    const page = await openEditor();
    const grid = await firstGrid();
    await page.fill('#search-input', grid.properties.code);
    await page.click(`#search-results li[data-code="${grid.properties.code}"]`);
    await expect.poll(() => page.textContent('#grid-card [data-field="card.code"]')).toBe(grid.properties.code);
    await page.close();
  });

  it('switches the interface between Chinese and English', async () => {
    const page = await openEditor();
    expect(await page.textContent('#edit-panel h2')).toBe('编辑草案');
    await page.click('#language-switch');
    expect(await page.textContent('#edit-panel h2')).toBe('Edit draft');
    expect(await page.getAttribute('#search-input', 'placeholder')).toBe('Search grid code, name or division');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('#language-switch');
    expect(await page.textContent('#edit-panel h2')).toBe('编辑草案');
    await page.close();
  });

  async function drawPolygon(page: Page, corners: [number, number][]): Promise<void> {
    await page.keyboard.press('d');
    for (const [x, y] of [...corners, corners[0]]) {
      await page.mouse.move(x, y, { steps: 4 });
      await page.mouse.click(x, y);
    }
  }

  async function mapCorner(page: Page): Promise<{ x: number; y: number }> {
    const box = (await page.locator('#map canvas').boundingBox())!;
    return { x: box.x + 120, y: box.y + 120 };
  }

  it('draws a polygon with the mouse into the draft, and Ctrl+Z takes it out again', async () => {
    const page = await openEditor();
    const { x, y } = await mapCorner(page);
    await drawPolygon(page, [
      [x, y],
      [x + 120, y],
      [x + 120, y + 90],
      [x, y + 90],
    ]);
    const count = () => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state.features.length);
    await expect.poll(count).toBe(1);
    await expect.poll(() => page.textContent('#draft-count')).toContain('草案中 1 个网格');
    await page.keyboard.press('Control+z');
    await expect.poll(count).toBe(0);
    await page.keyboard.press('Control+y');
    await expect.poll(count).toBe(1);
    await page.close();
  });

  it('reports a self-intersecting drawing as a finding and keeps it as drawn', async () => {
    const page = await openEditor();
    const { x, y } = await mapCorner(page);
    // A bow-tie: the second and fourth edges cross.
    await drawPolygon(page, [
      [x, y],
      [x + 120, y + 90],
      [x + 120, y],
      [x, y + 90],
    ]);
    await expect.poll(() => page.locator('#validation-panel li[data-rule="geometry.self-intersection"]').count()).toBe(1);
    const vertices = await page.evaluate(
      () => ((window as unknown as WanggeWindow).__wangge.editor.state.features[0] as unknown as { geometry: Polygon }).geometry.coordinates[0].length,
    );
    expect(vertices).toBe(5);
    // Clicking the finding centres the map on the crossing, wherever the map was.
    const crossing = await page.evaluate(([cx, cy]) => (window as unknown as WanggeWindow).__wangge.map.unproject([cx, cy]), [120 + 60, 120 + 45]);
    await page.evaluate(() => (window as unknown as WanggeWindow).__wangge.map.jumpTo({ center: [121.5, 30.9], zoom: 9 }));
    await page.click('#validation-panel li[data-rule="geometry.self-intersection"]');
    const centre = await page.evaluate(() => {
      const { map } = (window as unknown as WanggeWindow).__wangge;
      const canvas = map.getCanvas();
      return map.unproject([canvas.clientWidth / 2, canvas.clientHeight / 2]);
    });
    expect(Math.abs(centre.lng - crossing.lng)).toBeLessThan(1e-4);
    expect(Math.abs(centre.lat - crossing.lat)).toBeLessThan(1e-4);
    await page.close();
  });

  it('splits the selected grid along a drawn line and merges the two halves back', async () => {
    const page = await openEditor();
    const { x, y } = await mapCorner(page);
    await drawPolygon(page, [
      [x, y],
      [x + 160, y],
      [x + 160, y + 100],
      [x, y + 100],
    ]);
    const state = () => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state);
    await expect.poll(async () => (await state()).selection.length).toBe(1);
    await page.keyboard.press('s');
    for (const [px, py] of [
      [x + 80, y - 30],
      [x + 80, y + 130],
    ]) {
      await page.mouse.move(px, py, { steps: 4 });
      await page.mouse.click(px, py);
    }
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await state()).features.length).toBe(2);
    expect((await state()).selection).toHaveLength(2);
    await page.keyboard.press('m');
    await expect.poll(async () => (await state()).features.length).toBe(1);
    await page.close();
  });

  it('copies a filed grid into the draft, drags one of its vertices, and undo puts the vertex back', async () => {
    const page = await openEditor();
    const grid = await firstGrid();
    await page.fill('#search-input', grid.properties.code);
    await page.click(`#search-results li[data-code="${grid.properties.code}"]`);
    await page.click('#grid-card button:not(.close)');
    const firstVertex = () =>
      page.evaluate(() => ((window as unknown as WanggeWindow).__wangge.editor.state.features[0] as unknown as { geometry: Polygon }).geometry.coordinates[0][0]);
    await expect.poll(() => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state.features.length)).toBe(1);
    const before = await firstVertex();
    const from = await screenPoint(page, before as [number, number]);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x - 40, from.y - 30, { steps: 8 });
    await page.mouse.up();
    await expect.poll(firstVertex).not.toEqual(before);
    // The draft layer under terra-draw's outline is redrawn once the validation panel has the result, and at once on undo.
    const drawnVertex = () =>
      page.evaluate(async () => {
        const { map } = (window as unknown as WanggeWindow).__wangge;
        return ((await map.getSource('draft').getData()).features[0].geometry as Polygon).coordinates[0][0];
      });
    await expect.poll(drawnVertex).toEqual(await firstVertex());
    await page.click('#edit-panel button[data-action="undo"]');
    await expect.poll(firstVertex).toEqual(before);
    await expect.poll(drawnVertex).toEqual(before);
    await page.close();
  });

  it('validates the draft on the server after an edit, and loads a township\'s filed grids as one step', async () => {
    const page = await openEditor();
    const grid = await firstGrid();
    await page.fill('#search-input', grid.properties.code);
    await page.click(`#search-results li[data-code="${grid.properties.code}"]`);
    await page.click('#grid-card button:not(.close)');
    await expect.poll(() => page.textContent('#validation-panel .summary'), { timeout: 30_000 }).toMatch(/个错误|个警告|未发现问题/);
    // A report from the server, not the "route not available" or "request failed" notice.
    expect(await page.locator('#validation-panel .notice').count()).toBe(0);
    expect(await page.locator('#validation-panel li[data-rule]').count()).toBeGreaterThan(0);

    const township = await page.inputValue('#draft-township');
    expect(township).toBe(`${(grid.properties as unknown as { divisionCode: string }).divisionCode.slice(0, 9)}000`);
    const filed = (await rig.service.app.inject({ method: 'GET', url: `/v1/grids?division=${township}&limit=10000` })).json().numberMatched as number;
    await page.click('#load-filed');
    const count = () => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state.features.length);
    await expect.poll(count).toBe(1 + filed);
    await page.keyboard.press('Control+z');
    await expect.poll(count).toBe(1);
    await page.close();
  });

  it('adds an external raster basemap only when asked with ?basemap=', async () => {
    const page = await rig.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const tileRequests: string[] = [];
    // Answered in the browser: the test itself must not reach the internet either.
    await page.route('https://tiles.example.test/**', (route) => {
      tileRequests.push(route.request().url());
      return route.fulfill({ status: 404 });
    });
    await page.goto(`${rig.base}/?basemap=${encodeURIComponent('https://tiles.example.test/{z}/{x}/{y}.png')}`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
    await expect.poll(() => tileRequests.length).toBeGreaterThan(0);
    expect(tileRequests[0]).toMatch(/^https:\/\/tiles\.example\.test\/\d+\/\d+\/\d+\.png$/);
    expect(await page.locator('#layers-panel input[data-group="basemap"]').isChecked()).toBe(true);
    await page.close();
  });

  it('takes a plan from planner to registrar: create from the filed partition, merge two grids, submit, approve, file', async () => {
    const township = '330903001000';
    const page = await openEditor();
    const filedCodes = async () =>
      new Set(((await rig.service.app.inject({ method: 'GET', url: `/v1/grids?division=${township}&limit=10000` })).json().features as GridLike[]).map((g) => g.properties.code));
    const before = await filedCodes();

    await page.selectOption('#role-switch', 'demo-planner');
    await page.selectOption('#draft-township', township);
    await page.click('#plan-create');
    await expect.poll(() => page.getAttribute('#plan-status', 'data-status'), { timeout: 30_000 }).toBe('draft');
    const plans = (await rig.service.app.inject({ method: 'GET', url: `/v1/plans?township=${township}`, headers: { authorization: 'Bearer demo-planner' } })).json().plans as { id: string }[];
    const planId = plans.map((p) => p.id).sort((a, b) => Number(b) - Number(a))[0];
    const grids = (await rig.service.app.inject({ method: 'GET', url: `/v1/plans/${planId}/grids`, headers: { authorization: 'Bearer demo-planner' } })).json().features as GridLike[];
    await expect.poll(() => page.locator('#plan-panel .plan-grids input').count()).toBe(grids.length);

    // Two land grids of one village that share a boundary, so the merged grid is one polygon in one village.
    const land = grids.filter((g) => g.properties.kind === 'comprehensive' && !g.properties.parentCode);
    const pairs = land.flatMap((a, i) => land.slice(i + 1).map((b) => [a, b] as const)).filter(([a, b]) => a.properties.divisionCode === b.properties.divisionCode && booleanIntersects(a, b));
    const pair = pairs[0];
    expect(pair).toBeDefined();
    for (const grid of pair!) await page.check(`#plan-panel input[data-grid-id="${grid.id}"]`);

    // Someone else merges two other grids meanwhile: the editor's merge is refused as stale, says so and reloads.
    const planner = { authorization: 'Bearer demo-planner' };
    const other = pairs.find(([a, b]) => ![a.id, b.id].some((id) => pair!.some((g) => g.id === id)));
    expect(other).toBeDefined();
    const etag = (await rig.service.app.inject({ method: 'GET', url: `/v1/plans/${planId}`, headers: planner })).headers.etag as string;
    const merged = await rig.service.app.inject({
      method: 'POST',
      url: `/v1/plans/${planId}/merge`,
      headers: { ...planner, 'if-match': etag },
      payload: { gridIds: other!.map((g) => g.id) },
    });
    expect(merged.statusCode).toBe(200);
    await page.click('#plan-merge');
    await expect.poll(() => page.textContent('#plan-panel .message.error'), { timeout: 30_000 }).toContain('已被他人修改');
    expect(await page.locator('#plan-panel .plan-grids input').count()).toBe(grids.length - 1);

    for (const grid of pair!) await page.check(`#plan-panel input[data-grid-id="${grid.id}"]`);
    await page.click('#plan-merge');
    await expect.poll(() => page.locator('#plan-panel .plan-grids input').count(), { timeout: 30_000 }).toBe(grids.length - 2);

    // The diff overlay: the four merged grids retired, two grids added.
    await page.click('#plan-diff');
    const changes = () =>
      page.evaluate(() => {
        const { map } = (window as unknown as WanggeWindow).__wangge;
        return map.queryRenderedFeatures({ layers: ['diff-fill'] }).map((f) => f.properties.change as string);
      });
    await expect.poll(async () => (await changes()).filter((c) => c === 'added').length, { timeout: 30_000 }).toBe(2);
    expect((await changes()).filter((c) => c === 'retired').length).toBeGreaterThanOrEqual(1);

    for (const box of await page.locator('#plan-panel textarea[data-justify]').all()) await box.fill('合并后户数仍在合理范围，经村委会讨论确认');
    await page.click('#plan-submit');
    await expect.poll(() => page.getAttribute('#plan-status', 'data-status'), { timeout: 30_000 }).toBe('submitted');
    // The planner cannot approve their own plan: no button for it.
    expect(await page.locator('#plan-approve').count()).toBe(0);

    await page.selectOption('#role-switch', 'demo-reviewer');
    await page.click('#plan-approve');
    await expect.poll(() => page.getAttribute('#plan-status', 'data-status'), { timeout: 30_000 }).toBe('approved');

    await page.selectOption('#role-switch', 'demo-registrar');
    await page.click('#plan-file');
    await expect.poll(() => page.getAttribute('#plan-status', 'data-status'), { timeout: 60_000 }).toBe('filed');
    // The receipt names the filing and the chain head it made, to be kept for verifying the chain later.
    const head = (await rig.service.app.inject({ method: 'GET', url: '/v1/filings/head', headers: { authorization: 'Bearer demo-registrar' } })).json();
    await expect.poll(() => page.textContent('#plan-panel .message.info')).toContain(head.sha256);
    expect(await page.textContent('#plan-panel .message.info')).toContain(head.number);

    const added = [...(await filedCodes())].filter((code) => !before.has(code));
    const mergedCodes = [...pair!, ...other!].map((g) => g.properties.code);
    expect(added).toHaveLength(2);
    for (const code of added) {
      await page.fill('#search-input', code);
      await page.click(`#search-results li[data-code="${code}"]`);
      await expect.poll(() => page.textContent('#grid-card [data-field="card.code"]')).toBe(code);
      // The card's lineage names the two filed grids merged into this one, and links the printable notice.
      await expect.poll(() => page.locator('#grid-card .lineage li').count(), { timeout: 30_000 }).toBe(2);
      const from = await page.locator('#grid-card .lineage li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.from));
      expect(from.every((c) => mergedCodes.includes(c!))).toBe(true);
      const notice = await page.getAttribute('#grid-card a.notice-link', 'href');
      expect(notice).toBe(`/v1/grids/${code}/notice?f=html`);
      const printed = await rig.service.app.inject({ method: 'GET', url: notice! });
      expect(printed.statusCode).toBe(200);
      expect(printed.headers['content-type']).toContain('text/html');
    }
    await page.close();
  });

  it('suggests a partition for a village with a band, shows the job progress and the result, and accepts it into the draft', async () => {
    const page = await openEditor();
    await page.selectOption('#role-switch', 'demo-planner');
    await page.selectOption('#draft-township', '330903001000');
    const villages = await page.locator('#suggest-village option[value^="330903001"]').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(villages.length).toBeGreaterThan(0);
    await page.selectOption('#suggest-village', villages[0]);
    await page.fill('#suggest-min', '200');
    await page.dispatchEvent('#suggest-min', 'change');
    await page.click('#suggest-run');
    await expect.poll(() => page.getAttribute('#suggest-phase', 'data-status'), { timeout: 60_000 }).toBe('succeeded');
    expect(await page.textContent('#suggest-phase')).toMatch(/\d+%/);
    const suggested = Number((await page.textContent('#suggest-summary'))!.match(/建议 (\d+) 个网格/)![1]);
    expect(suggested).toBeGreaterThan(0);
    await page.click('#suggest-accept');
    const count = () => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state.features.length);
    await expect.poll(count).toBe(suggested);
    await page.close();
  });

  it('sent no request to any host but 127.0.0.1', () => {
    expect(rig.foreignRequests).toEqual([]);
  });
});
