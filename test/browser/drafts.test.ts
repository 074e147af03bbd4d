// Unsaved work across a page reload, in real Chromium against the real service (embedded PGlite, demo data): a reshape
// not yet saved to its plan comes back after a reload with its plan, township and undo history, and is forgotten once
// saved; a drawing can be discarded; each key keeps its own draft. Needs `npm run build:web` first.
import type { Polygon } from 'geojson';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openEditor, rigForFile, saveScreenshot, screenPoint, settled, type GridLike, type WanggeWindow } from './support.ts';

const TOWNSHIP = '330903001000';
const rig = rigForFile();

const planner = { authorization: 'Bearer demo-planner' };
const draft = (page: Page) => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state);
const firstVertex = (page: Page) =>
  page.evaluate(() => ((window as unknown as WanggeWindow).__wangge.editor.state.features[0] as unknown as { geometry: Polygon }).geometry.coordinates[0][0]);
const stored = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('wangge.draft:')).sort());

async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
}

async function drawBox(page: Page): Promise<void> {
  const box = (await page.locator('#map canvas').boundingBox())!;
  const [x, y] = [box.x + 140, box.y + 140];
  await page.keyboard.press('d');
  for (const [px, py] of [[x, y], [x + 110, y], [x + 110, y + 80], [x, y + 80], [x, y]]) {
    await page.mouse.move(px, py, { steps: 4 });
    await page.mouse.click(px, py);
  }
  await expect.poll(async () => (await draft(page)).features.length).toBe(1);
}

describe('unsaved work in the browser', () => {
  it('brings back a reshape not yet saved to its plan after a reload, with the plan, township and undo history, and forgets it once saved', async () => {
    const created = await rig.service.app.inject({ method: 'POST', url: '/v1/plans', headers: planner, payload: { townshipCode: TOWNSHIP, trigger: 'scale_change', start: 'filed' } });
    expect(created.statusCode).toBe(201);
    const planId = created.json().id as string;
    const grids = (await rig.service.app.inject({ method: 'GET', url: `/v1/plans/${planId}/grids`, headers: planner })).json().features as GridLike[];
    const target = grids.find((g) => g.properties.kind === 'comprehensive' && !g.properties.parentCode)!;

    const page = await openEditor(rig, { key: 'demo-planner' });
    await page.selectOption('#draft-township', TOWNSHIP);
    await page.click(`#plan-panel .plan-list li[data-plan-id="${planId}"] button`);
    await expect.poll(() => page.textContent('#plan-status'), { timeout: 30_000 }).toContain(`#${planId}`);
    await page.check(`#plan-panel input[data-grid-id="${target.id}"]`);
    await page.click('#plan-reshape');
    await expect.poll(async () => (await draft(page)).features.map((f) => f.properties.planGridId)).toEqual([target.id]);
    await settled(page);

    const before = await firstVertex(page);
    const from = await screenPoint(page, before as [number, number]);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 25, from.y + 18, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => firstVertex(page)).not.toEqual(before);
    const moved = await firstVertex(page);
    const history = (await draft(page)).past.length;
    expect(history).toBeGreaterThanOrEqual(2);
    await expect.poll(() => stored(page)).toEqual(['wangge.draft:demo-planner']);

    await reload(page);
    await expect.poll(() => page.textContent('#draft-restored')).toContain('已恢复未保存的修改');
    expect(await page.textContent('#draft-restored')).toContain('1 个网格');
    const restored = await draft(page);
    expect(restored.features.map((f) => f.properties.planGridId)).toEqual([target.id]);
    expect(await firstVertex(page)).toEqual(moved);
    expect(restored.past).toHaveLength(history);
    expect(await page.inputValue('#draft-township')).toBe(TOWNSHIP);
    await expect.poll(() => page.textContent('#plan-status'), { timeout: 30_000 }).toContain(`#${planId}`);
    await saveScreenshot(page, 'draft-restored');
    await page.click('#language-switch');
    expect(await page.textContent('#draft-restored')).toContain('Unsaved changes restored');
    await page.click('#language-switch');

    // The history came back too: undo puts the vertex where it was before the drag, redo moves it again.
    await page.click('#edit-panel button[data-action="undo"]');
    await expect.poll(() => firstVertex(page)).toEqual(before);
    await page.click('#edit-panel button[data-action="redo"]');
    await expect.poll(() => firstVertex(page)).toEqual(moved);

    // Saved to the plan: the draft empties, the notice goes, and a reload has nothing to bring back.
    await page.click('#plan-add-draft');
    await expect.poll(async () => (await draft(page)).features.length, { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.locator('#draft-restored').count()).toBe(0);
    await expect.poll(() => stored(page)).toEqual([]);
    const saved = (await rig.service.app.inject({ method: 'GET', url: `/v1/plans/${planId}/grids`, headers: planner })).json().features as GridLike[];
    const outline = saved.find((g) => g.id === target.id)!.geometry;
    const ring = (outline.type === 'Polygon' ? outline.coordinates[0] : outline.coordinates[0][0]) as number[][];
    expect(ring.some(([x, y]) => Math.abs(x - moved[0]) < 1e-6 && Math.abs(y - moved[1]) < 1e-6)).toBe(true);

    await reload(page);
    expect(await page.locator('#draft-restored').count()).toBe(0);
    expect((await draft(page)).features).toHaveLength(0);
    await page.close();
  });

  it('discards a restored drawing when asked, and then has nothing to bring back', async () => {
    const page = await openEditor(rig);
    await drawBox(page);
    await expect.poll(() => stored(page)).toEqual(['wangge.draft:public']);
    await reload(page);
    await expect.poll(() => page.textContent('#draft-restored')).toContain('已恢复未保存的修改');
    expect((await draft(page)).features).toHaveLength(1);
    await page.click('#draft-discard');
    expect((await draft(page)).features).toHaveLength(0);
    expect(await page.locator('#draft-restored').count()).toBe(0);
    await expect.poll(() => stored(page)).toEqual([]);
    await reload(page);
    expect(await page.locator('#draft-restored').count()).toBe(0);
    expect((await draft(page)).features).toHaveLength(0);
    await page.close();
  });

  it('keeps each key\'s draft to itself: another key starts empty, and the first gets its draft back on switching to it', async () => {
    const page = await openEditor(rig);
    await page.selectOption('#role-switch', 'demo-planner');
    await drawBox(page);
    await expect.poll(() => stored(page)).toEqual(['wangge.draft:demo-planner']);

    // Someone else signs in on this browser: their editor opens empty, the planner's draft stays kept.
    await page.evaluate(() => localStorage.setItem('wangge.apiKey', 'demo-reviewer'));
    await reload(page);
    expect((await draft(page)).features).toHaveLength(0);
    expect(await page.locator('#draft-restored').count()).toBe(0);
    expect(await stored(page)).toEqual(['wangge.draft:demo-planner']);

    await page.selectOption('#role-switch', 'demo-planner');
    await expect.poll(async () => (await draft(page)).features.length).toBe(1);
    expect(await page.textContent('#draft-restored')).toContain('已恢复未保存的修改');
    await page.close();
  });

  it('sent no request to any host but 127.0.0.1', () => {
    expect(rig.foreignRequests).toEqual([]);
  });
});
