// What every browser suite shares: Debian's Chromium driven by playwright-core against the real service on the
// embedded database, the editor opened at 1366×768, and screenshots and figures saved under test-results/browser.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export const RESULTS_DIR = path.resolve('test-results/browser');

/** The handles main.ts leaves on window for tests and scripts. */
export interface WanggeWindow {
  __wangge: {
    map: {
      queryRenderedFeatures(options: { layers: string[] }): { properties: Record<string, unknown> }[];
      project(lngLat: [number, number]): { x: number; y: number };
      unproject(point: [number, number]): { lng: number; lat: number };
      getCanvas(): HTMLCanvasElement;
      getZoom(): number;
      getCenter(): { lng: number; lat: number };
      getLayoutProperty(layer: string, name: string): unknown;
      getSource(id: string): { getData(): Promise<FeatureCollection> };
      jumpTo(options: { center: [number, number]; zoom: number }): void;
      once(event: string, listener: () => void): void;
      loaded(): boolean;
      areTilesLoaded(): boolean;
    };
    editor: { state: { features: { id: string; properties: Record<string, unknown> }[]; selection: string[]; past: unknown[] } };
  };
}

export type GridLike = Feature<Polygon | MultiPolygon, { code: string; name: string; kind: string; parentCode: string | null; divisionCode: string }> & { id: string };

export interface BrowserRig {
  service: TestService;
  browser: Browser;
  base: string;
  /** Every request the pages made to a host other than 127.0.0.1. */
  foreignRequests: string[];
  close(): Promise<void>;
}

async function startRig(): Promise<BrowserRig> {
  const service = await startTestService('embedded');
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  const address = service.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    service,
    browser,
    base: `http://127.0.0.1:${address.port}`,
    foreignRequests: [],
    async close() {
      await browser.close();
      await service.close();
    },
  };
}

/**
 * One rig for the calling test file: started before its first test and closed after its last. The object returned is
 * filled in by then, so tests use it directly.
 * @example const rig = rigForFile(); it('…', async () => { const page = await openEditor(rig); });
 */
export function rigForFile(): BrowserRig {
  const rig = {} as BrowserRig;
  beforeAll(async () => {
    Object.assign(rig, await startRig());
  });
  afterAll(async () => {
    await rig.close?.(); // absent when the start failed, which beforeAll has reported
  });
  return rig;
}

/** Opens the editor (optionally with a demo key already chosen) and waits until the data is drawn. */
export async function openEditor(rig: BrowserRig, options: { key?: string } = {}): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.hostname !== '127.0.0.1') rig.foreignRequests.push(request.url());
  });
  if (options.key) await page.addInitScript((key) => localStorage.setItem('wangge.apiKey', key), options.key);
  await page.goto(rig.base);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
  return page;
}

/** Screen position (page coordinates) of a lon/lat on the map canvas. */
export async function screenPoint(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  const inCanvas = await page.evaluate((p) => (window as unknown as WanggeWindow).__wangge.map.project(p), lngLat);
  const box = (await page.locator('#map canvas').boundingBox())!;
  return { x: box.x + inCanvas.x, y: box.y + inCanvas.y };
}

/** Moves the map and resolves once everything in view is drawn. */
export async function jumpAndSettle(page: Page, center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(
    ([c, z]) => {
      const { map } = (window as unknown as WanggeWindow).__wangge;
      return new Promise<void>((resolve) => {
        map.once('idle', resolve);
        map.jumpTo({ center: c as [number, number], zoom: z as number });
      });
    },
    [center, zoom] as const,
  );
}

/** Resolves at the map's next idle, after anything just set on it has been drawn. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const { map } = (window as unknown as WanggeWindow).__wangge;
        if (map.loaded() && map.areTilesLoaded()) return resolve();
        map.once('idle', resolve);
      }),
  );
}

export function renderedOf(page: Page, layer: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((id) => (window as unknown as WanggeWindow).__wangge.map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties), layer);
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Appends measured figures to test-results/browser/<name>.json and prints them, for the report (never asserted). */
export function reportFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify({ measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
  console.log(`[figures] ${name}: ${JSON.stringify(figures)}`);
}
