// Plans in real Chromium against the real service (embedded PGlite, demo data): open a plan made elsewhere from the
// list, reshape a plan grid through the draft (a concurrent edit answers 412 and the edit is reapplied), split a plan
// grid along a line drawn on the map, return a plan with comments on single grids that the planner then finds on the
// map. Needs `npm run build:web` first.
import { bbox, booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openEditor, renderedOf, rigForFile, saveScreenshot, screenPoint, settled, type GridLike, type WanggeWindow } from './support.ts';

const TOWNSHIP = '330903001000';
const rig = rigForFile();

type Who = 'demo-planner' | 'demo-reviewer';

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: Who, payload?: unknown, etag?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${who}` };
  if (etag) headers['if-match'] = etag;
  return rig.service.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** A plan made through the API and submitted with every warning justified, waiting for the reviewer. */
async function submittedPlan(): Promise<{ id: string; etag: string }> {
  const plan = await planMadeElsewhere();
  const report = (await call('GET', `/v1/plans/${plan.id}`, 'demo-planner')).json().report as { findings: { ruleId: string; severity: string }[] };
  const justifications = Object.fromEntries(report.findings.filter((f) => f.severity === 'warning').map((f) => [f.ruleId, '户数偏差经乡镇核实，暂不调整']));
  const submit = await call('POST', `/v1/plans/${plan.id}/submit`, 'demo-planner', { justifications }, plan.etag);
  expect(submit.statusCode).toBe(200);
  return { id: plan.id, etag: submit.headers.etag as string };
}

/** A plan made through the API, as another planner would, from the township's filed partition. */
async function planMadeElsewhere(): Promise<{ id: string; etag: string }> {
  const created = await call('POST', '/v1/plans', 'demo-planner', { townshipCode: TOWNSHIP, trigger: 'scale_change', start: 'filed' });
  expect(created.statusCode).toBe(201);
  return { id: created.json().id, etag: created.headers.etag as string };
}

const planGrids = async (id: string) => (await call('GET', `/v1/plans/${id}/grids`, 'demo-planner')).json().features as GridLike[];
const draft = (page: Page) => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state);
const landGrids = (grids: GridLike[]) => grids.filter((g) => g.properties.kind === 'comprehensive' && !g.properties.parentCode);

async function openFromList(page: Page, id: string): Promise<void> {
  await page.click(`#plan-panel .plan-list li[data-plan-id="${id}"] button`);
  await expect.poll(() => page.textContent('#plan-status'), { timeout: 30_000 }).toContain(`#${id}`);
}

async function fitMapTo(page: Page, grid: GridLike): Promise<void> {
  await page.evaluate((box) => {
    const { map } = (window as unknown as { __wangge: { map: { fitBounds(b: number[], o: object): void } } }).__wangge;
    map.fitBounds(box, { padding: 120, duration: 0 });
  }, bbox(grid));
  await settled(page);
}

describe('plans in the browser', () => {
  it('lists plans made elsewhere, the ones awaiting the role first, and opens one with its grids, status and the role\'s actions', async () => {
    const submitted = await planMadeElsewhere();
    const report = (await call('GET', `/v1/plans/${submitted.id}`, 'demo-planner')).json().report as { findings: { ruleId: string; severity: string }[] };
    const justifications = Object.fromEntries(report.findings.filter((f) => f.severity === 'warning').map((f) => [f.ruleId, '户数偏差经乡镇核实，暂不调整']));
    const submit = await call('POST', `/v1/plans/${submitted.id}/submit`, 'demo-planner', { justifications }, submitted.etag);
    expect(submit.statusCode).toBe(200);
    const draftPlan = await planMadeElsewhere();

    const page = await openEditor(rig, { key: 'demo-reviewer' });
    await expect.poll(() => page.locator('#plan-panel .plan-list li[data-plan-id]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const rows = await page.locator('#plan-panel .plan-list li[data-plan-id]').evaluateAll((items) => items.map((li) => [(li as HTMLElement).dataset.planId, (li as HTMLElement).dataset.status, li.classList.contains('awaits')]));
    // The reviewer's work first: the submitted plan, marked; the draft is the planner's.
    expect(rows[0]).toEqual([submitted.id, 'submitted', true]);
    expect(rows).toContainEqual([draftPlan.id, 'draft', false]);
    expect(await page.textContent(`#plan-panel .plan-list li[data-plan-id="${submitted.id}"]`)).toContain('沈家门街道');

    await openFromList(page, submitted.id);
    expect(await page.getAttribute('#plan-status', 'data-status')).toBe('submitted');
    const grids = await planGrids(submitted.id);
    await expect.poll(() => page.locator('#plan-panel .plan-grids input').count()).toBe(grids.length);
    expect(await page.inputValue('#draft-township')).toBe(TOWNSHIP);
    // The reviewer may approve or return; editing and submitting are not theirs, nor is a submitted plan editable.
    expect(await page.locator('#plan-approve').count()).toBe(1);
    expect(await page.locator('#plan-return').count()).toBe(1);
    expect(await page.locator('#plan-submit').count()).toBe(0);
    await page.check(`#plan-panel input[data-grid-id="${grids[0].id}"]`);
    for (const id of ['#plan-reshape', '#plan-split', '#plan-delete']) expect(await page.isDisabled(id)).toBe(true);
    await saveScreenshot(page, 'plan-opened-by-reviewer');

    // The planner opens the draft plan made elsewhere and may edit it.
    await page.selectOption('#role-switch', 'demo-planner');
    await page.click('#plan-panel .close');
    await expect.poll(() => page.locator(`#plan-panel .plan-list li[data-plan-id="${draftPlan.id}"]`).count(), { timeout: 30_000 }).toBe(1);
    await openFromList(page, draftPlan.id);
    expect(await page.getAttribute('#plan-status', 'data-status')).toBe('draft');
    await page.check(`#plan-panel input[data-grid-id="${(await planGrids(draftPlan.id))[0].id}"]`);
    expect(await page.isDisabled('#plan-reshape')).toBe(false);
    expect(await page.isDisabled('#plan-split')).toBe(false);
    expect(await page.locator('#plan-submit').count()).toBe(1);
    await page.close();
  });

  it('reshapes a plan grid by dragging a vertex in the draft, and after a concurrent edit (412) reapplies it against the reloaded plan', async () => {
    const plan = await planMadeElsewhere();
    const grids = landGrids(await planGrids(plan.id));
    const [target, bystander] = grids;
    const page = await openEditor(rig, { key: 'demo-planner' });
    await page.selectOption('#draft-township', TOWNSHIP);
    await expect.poll(() => page.locator(`#plan-panel .plan-list li[data-plan-id="${plan.id}"]`).count(), { timeout: 30_000 }).toBe(1);
    await openFromList(page, plan.id);

    await page.check(`#plan-panel input[data-grid-id="${target.id}"]`);
    await page.click('#plan-reshape');
    await expect.poll(async () => (await draft(page)).features.map((f) => f.properties.planGridId)).toEqual([target.id]);
    expect((await draft(page)).selection).toHaveLength(1);
    await expect.poll(() => page.textContent('#validation-panel .summary'), { timeout: 30_000 }).toMatch(/个错误|个警告|未发现问题/);
    await settled(page);

    // Drag the first vertex: the draft is validated again, and the new outline is what the plan will get.
    const firstVertex = () => page.evaluate(() => ((window as unknown as WanggeWindow).__wangge.editor.state.features[0] as unknown as { geometry: { coordinates: number[][][] } }).geometry.coordinates[0][0]);
    const before = await firstVertex();
    const from = await screenPoint(page, before as [number, number]);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 25, from.y + 18, { steps: 6 });
    await page.mouse.up();
    await expect.poll(firstVertex).not.toEqual(before);
    const moved = await firstVertex();
    await expect.poll(() => page.textContent('#validation-panel .summary'), { timeout: 30_000 }).toMatch(/个错误|个警告|未发现问题/);

    // Someone else deletes another grid meanwhile: the save is refused as stale, the plan reloads, the reshape is kept.
    const etag = (await call('GET', `/v1/plans/${plan.id}`, 'demo-planner')).headers.etag as string;
    expect((await call('DELETE', `/v1/plans/${plan.id}/grids/${bystander.id}`, 'demo-planner', undefined, etag)).statusCode).toBe(200);
    await page.click('#plan-add-draft');
    await expect.poll(() => page.textContent('#plan-panel .message.error'), { timeout: 30_000 }).toContain('已被他人修改');
    expect(await page.locator(`#plan-panel input[data-grid-id="${bystander.id}"]`).count()).toBe(0);
    expect((await draft(page)).features).toHaveLength(1);
    await page.click('#plan-reapply');
    await expect.poll(async () => (await draft(page)).features.length, { timeout: 30_000 }).toBe(0);
    expect(await page.locator('#plan-reapply').count()).toBe(0);
    expect(await page.locator('#plan-panel .message.error').count()).toBe(0);

    const stored = (await planGrids(plan.id)).find((g) => g.id === target.id)!;
    const ring = (stored.geometry.type === 'Polygon' ? stored.geometry.coordinates[0] : stored.geometry.coordinates[0][0]) as number[][];
    expect(ring.some(([x, y]) => Math.abs(x - moved[0]) < 1e-6 && Math.abs(y - moved[1]) < 1e-6)).toBe(true);
    expect(ring.some(([x, y]) => Math.abs(x - before[0]) < 1e-9 && Math.abs(y - before[1]) < 1e-9)).toBe(false);
    await saveScreenshot(page, 'plan-reshaped');

    await page.close();
  });

  it('splits a plan grid along a line drawn across it on the map, and Esc gives up a line', async () => {
    const plan = await planMadeElsewhere();
    const grids = await planGrids(plan.id);
    const target = landGrids(grids)[0];
    const page = await openEditor(rig, { key: 'demo-planner' });
    await expect.poll(() => page.locator(`#plan-panel .plan-list li[data-plan-id="${plan.id}"]`).count(), { timeout: 30_000 }).toBe(1);
    await openFromList(page, plan.id);
    await page.check(`#plan-panel input[data-grid-id="${target.id}"]`);
    await fitMapTo(page, target);

    // Esc before the line is finished: nothing is sent.
    await page.click('#plan-split');
    expect(await page.textContent('#plan-split')).toBe('正在画分割线…');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.textContent('#plan-split')).toBe('画线分割');
    expect((await planGrids(plan.id)).length).toBe(grids.length);

    // A line through an inside point of the grid, from beyond its west edge to beyond its east edge.
    const [west, , east] = bbox(target);
    const [, y] = pointOnFeature(target).geometry.coordinates;
    const start = await screenPoint(page, [west, y]);
    const end = await screenPoint(page, [east, y]);
    await page.click('#plan-split');
    for (const point of [
      { x: start.x - 40, y: start.y },
      { x: end.x + 40, y: end.y },
    ]) {
      await page.mouse.move(point.x, point.y, { steps: 4 });
      await page.mouse.click(point.x, point.y);
    }
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await planGrids(plan.id)).some((g) => g.id === target.id), { timeout: 30_000 }).toBe(false);
    const after = await planGrids(plan.id);
    const pieces = after.filter((g) => g.properties.name.startsWith(`${target.properties.name}-`));
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(after.length).toBe(grids.length - 1 + pieces.length);
    await expect.poll(() => page.locator('#plan-panel .plan-grids input').count(), { timeout: 30_000 }).toBe(after.length);
    expect(await page.textContent('#plan-panel .plan-grids')).toContain(`${target.properties.name}-1`);
    // The line went to the plan, not into the draft.
    expect((await draft(page)).features).toHaveLength(0);
    await saveScreenshot(page, 'plan-split');
    await page.close();
  });

  it('returns a plan with comments on grids picked on the map and in the list; the planner sees them marked and zooms to each from the list', async () => {
    const plan = await submittedPlan();
    const grids = await planGrids(plan.id);
    // A land grid whose inside point lies in no other plan grid (micro-grids lie inside their grid), so a click there picks it.
    const onMap = landGrids(grids).find((g) => grids.every((other) => other.id === g.id || !booleanPointInPolygon(pointOnFeature(g), other)))!;
    const inList = landGrids(grids).find((g) => g.id !== onMap.id)!;

    const page = await openEditor(rig, { key: 'demo-reviewer' });
    await expect.poll(() => page.locator(`#plan-panel .plan-list li[data-plan-id="${plan.id}"]`).count(), { timeout: 30_000 }).toBe(1);
    await openFromList(page, plan.id);
    await fitMapTo(page, onMap);
    const inside = await screenPoint(page, pointOnFeature(onMap).geometry.coordinates as [number, number]);
    await page.mouse.click(inside.x, inside.y);
    const onMapBox = page.locator(`#plan-panel textarea[data-comment-grid="${onMap.id}"]`);
    await expect.poll(() => onMapBox.count()).toBe(1);
    expect(await onMapBox.evaluate((box) => box === document.activeElement)).toBe(true);
    await onMapBox.fill('户数偏少，建议与相邻网格合并');
    await page.click(`#plan-panel .comment-grid[data-grid-id="${inList.id}"]`);
    await page.fill(`#plan-panel textarea[data-comment-grid="${inList.id}"]`, '边界穿过小区，请沿道路调整');
    await page.fill('#plan-comment', '请按网格意见调整后重新提交');
    await saveScreenshot(page, 'review-grid-comments');
    await page.click('#plan-return');
    await expect.poll(() => page.getAttribute('#plan-status', 'data-status'), { timeout: 30_000 }).toBe('returned');
    expect(await page.textContent('#plan-panel .message.info')).toContain('附 3 条意见');

    const comments = (await call('GET', `/v1/plans/${plan.id}`, 'demo-planner')).json().comments as { grid?: string; text: string }[];
    expect(comments.map((c) => [c.grid ?? null, c.text])).toEqual([
      [null, '请按网格意见调整后重新提交'],
      [onMap.id, '户数偏少，建议与相邻网格合并'],
      [inList.id, '边界穿过小区，请沿道路调整'],
    ]);

    // The planner: the comments listed, the two grids outlined and numbered on the map.
    await page.selectOption('#role-switch', 'demo-planner');
    await expect.poll(() => page.locator('#plan-panel .plan-comments li').count(), { timeout: 30_000 }).toBe(3);
    await page.evaluate((box) => (window as unknown as { __wangge: { map: { fitBounds(b: number[], o: object): void } } }).__wangge.map.fitBounds(box, { padding: 60, duration: 0 }), bbox({ type: 'FeatureCollection', features: [onMap, inList] }));
    await settled(page);
    const marked = async (layer: string) => [...new Set((await renderedOf(page, layer)).map((p) => String(p.gridId ?? p.id)))].sort();
    await expect.poll(() => marked('comment-marker')).toEqual([onMap.id, inList.id].sort());
    expect(await marked('plan-commented')).toEqual([onMap.id, inList.id].sort());
    expect(await page.textContent(`#plan-panel .plan-comments li[data-grid="${inList.id}"]`)).toContain(inList.properties.name);
    await saveScreenshot(page, 'review-comments-for-planner');

    // A comment in the list zooms to its grid and checks it, ready to reshape.
    await page.evaluate(() => (window as unknown as WanggeWindow).__wangge.map.jumpTo({ center: [121.5, 30.9], zoom: 9 }));
    await page.click(`#plan-panel .plan-comments li[data-grid="${inList.id}"]`);
    const centre = await page.evaluate(() => (window as unknown as WanggeWindow).__wangge.map.getCenter());
    const [w, s, e, n] = bbox(inList);
    expect(centre.lng).toBeGreaterThan(w);
    expect(centre.lng).toBeLessThan(e);
    expect(centre.lat).toBeGreaterThan(s);
    expect(centre.lat).toBeLessThan(n);
    expect(await page.isChecked(`#plan-panel input[data-grid-id="${inList.id}"]`)).toBe(true);
    expect(await page.isDisabled('#plan-reshape')).toBe(false);
    await page.close();
  });

  it('sent no request to any host but 127.0.0.1', () => {
    expect(rig.foreignRequests).toEqual([]);
  });
});
