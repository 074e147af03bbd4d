// Figures for the report, measured in real Chromium against the real service on the embedded database: how long the
// demo city takes to load, how long a reshape takes to show its validation result in a whole township's draft, and
// frame times while panning. Logged and saved under test-results/browser with issue #10's target and whether it was
// met, never asserted as pass marks: the machine is shared, so the figures move with its load (the load average is
// saved beside them). Needs `npm run build:web`.
import { cpus, loadavg } from 'node:os';
import { bbox, pointOnFeature } from '@turf/turf';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openEditor, reportFigures, rigForFile, screenPoint, settled, type GridLike, type WanggeWindow } from './support.ts';

const TOWNSHIP = '330903001000';
const rig = rigForFile();

const machine = () => ({ cores: cpus().length, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Times from the pointer release that ends a vertex drag to the validation panel's "running" state, to its result in
 * the page, and to the first frame painted with that result: a task queued from the next animation frame runs once
 * that frame is done, and where WebGL is drawn in software a frame that also redraws the map holds the panel back.
 */
async function timedDrag(page: Page, from: { x: number; y: number }, by: { x: number; y: number }): Promise<{ runningMs: number; resultMs: number; paintedMs: number }> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + by.x, from.y + by.y, { steps: 6 });
  await page.evaluate(() => {
    const w = window as unknown as { __timing: { dropped: number; running: number | null; done: number | null; painted: number | null } };
    w.__timing = { dropped: 0, running: null, done: null, painted: null };
    const summary = () => document.querySelector('#validation-panel .summary')?.textContent ?? '';
    const observer = new MutationObserver(() => {
      const t = w.__timing;
      if (!t.dropped) return;
      if (t.running === null && summary().includes('校验中')) t.running = performance.now();
      if (t.running !== null && !summary().includes('校验中')) {
        t.done = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => (t.painted = performance.now()), 0));
      }
    });
    observer.observe(document.getElementById('validation-panel')!, { childList: true, subtree: true, characterData: true });
    // terra-draw ends a drag on pointerup, which comes before mouseup.
    addEventListener('pointerup', () => (w.__timing.dropped = performance.now()), { capture: true, once: true });
  });
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __timing: { painted: number | null } }).__timing.painted), { timeout: 30_000 }).not.toBeNull();
  const t = await page.evaluate(() => (window as unknown as { __timing: { dropped: number; running: number; done: number; painted: number } }).__timing);
  return { runningMs: Math.round(t.running - t.dropped), resultMs: Math.round(t.done - t.dropped), paintedMs: Math.round(t.painted - t.dropped) };
}

describe('editor performance (figures, not pass marks)', () => {
  it('loads the demo city: navigation start to the data drawn', async () => {
    const loads: { readyMs: number; wallMs: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const page = await openEditor(rig);
      loads.push({ readyMs: await page.evaluate(() => Math.round(performance.getEntriesByName('wangge-ready')[0].startTime)), wallMs: Date.now() - started });
      await page.close();
    }
    const medianReadyMs = median(loads.map((l) => l.readyMs));
    // Issue #10: the demo city loads in under 3 s in headless Chromium on this machine.
    reportFigures('load', { loads, medianReadyMs, targetMs: 3000, withinTarget: medianReadyMs < 3000, ...machine() });
    expect(loads.every((l) => l.readyMs > 0)).toBe(true);
  });

  it('shows the validation result of a whole township\'s draft after a vertex drag', async () => {
    const page = await openEditor(rig, { key: 'demo-planner' });
    await page.selectOption('#draft-township', TOWNSHIP);
    await page.click('#load-filed');
    const filed = (await rig.service.app.inject({ method: 'GET', url: `/v1/grids?division=${TOWNSHIP}&limit=10000` })).json().features as GridLike[];
    const state = () => page.evaluate(() => (window as unknown as WanggeWindow).__wangge.editor.state);
    await expect.poll(async () => (await state()).features.length).toBe(filed.length);
    await expect.poll(() => page.textContent('#validation-panel .summary'), { timeout: 60_000 }).toMatch(/个错误|个警告|未发现问题/);

    // Select one land grid by clicking inside it, then drag its first vertex twice.
    const grid = filed.find((g) => g.properties.kind === 'comprehensive' && !g.properties.parentCode)!;
    await page.evaluate((box) => (window as unknown as { __wangge: { map: { fitBounds(b: number[], o: object): void } } }).__wangge.map.fitBounds(box, { padding: 150, duration: 0 }), bbox(grid));
    await settled(page);
    const inside = await screenPoint(page, pointOnFeature(grid).geometry.coordinates as [number, number]);
    await page.mouse.click(inside.x, inside.y);
    await expect.poll(async () => (await state()).selection.length).toBe(1);
    await settled(page);
    const vertex = await page.evaluate(() => {
      const { editor } = (window as unknown as WanggeWindow).__wangge;
      const selected = editor.state.features.find((f) => f.id === editor.state.selection[0]) as unknown as { geometry: { coordinates: number[][][] } };
      return selected.geometry.coordinates[0][0] as [number, number];
    });
    // Out and back again, five times over: the first drags pay for warming up, the median is the figure.
    const from = await screenPoint(page, vertex);
    const out = { x: from.x + 22, y: from.y + 16 };
    const drags = [];
    for (let i = 0; i < 5; i++) drags.push(i % 2 === 0 ? await timedDrag(page, from, { x: 22, y: 16 }) : await timedDrag(page, out, { x: -22, y: -16 }));
    expect((await state()).past.length).toBeGreaterThanOrEqual(3);

    // The same request timed on its own, without the browser.
    const body = { divisionCode: TOWNSHIP, features: { type: 'FeatureCollection', features: filed.map((g) => ({ type: 'Feature', geometry: g.geometry, properties: { ...g.properties, parentCode: null } })) } };
    const serverMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expect((await rig.service.app.inject({ method: 'POST', url: '/v1/validate', payload: body })).statusCode).toBe(200);
      serverMs.push(Math.round(performance.now() - started));
    }
    const medianPaintedMs = median(drags.map((d) => d.paintedMs));
    reportFigures('reshape-validation', {
      township: TOWNSHIP,
      draftGrids: filed.length,
      drags,
      medianPaintedMs,
      // Issue #10: a reshape's validation result shows within 300 ms for a township of 100 grids.
      targetMs: 300,
      withinTarget: medianPaintedMs <= 300,
      validateRouteMs: serverMs,
      ...machine(),
    });
    await page.close();
  });

  it('pans the map and records frame intervals', async () => {
    const page = await openEditor(rig);
    const frames = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const { map } = (window as unknown as { __wangge: { map: { panBy(offset: [number, number], options: object): void; once(e: string, f: () => void): void } } }).__wangge;
          const stamps: number[] = [];
          let running = true;
          const tick = (t: number) => {
            stamps.push(t);
            if (running) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
          map.once('moveend', () => {
            running = false;
            resolve(stamps.slice(1).map((t, i) => t - stamps[i]));
          });
          map.panBy([400, 150], { duration: 2000 });
        }),
    );
    const sorted = [...frames].sort((a, b) => a - b);
    reportFigures('pan', {
      frames: frames.length,
      medianFrameMs: Number(median(frames).toFixed(1)),
      p95FrameMs: Number(sorted[Math.floor(sorted.length * 0.95)].toFixed(1)),
      longestFrameMs: Number(sorted.at(-1)!.toFixed(1)),
      renderer: 'SwiftShader (software WebGL, no GPU)',
      ...machine(),
    });
    expect(frames.length).toBeGreaterThan(0);
    await page.close();
  });
});
