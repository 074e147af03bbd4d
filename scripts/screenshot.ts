// Saves docs/screenshot.png (1366×768) of the editor on the demo data, as the maritime authority sees it: 沈家门's filed
// grids by household band within their village boundaries, a grid card, the fishing grounds to the east with vessels
// coloured by formation and the demo's two alerts ringed and listed. Needs `npm run build:web` first.
// Usage: npx tsx scripts/screenshot.ts [output.png]
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { centroid } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { chromium } from 'playwright-core';
import pino from 'pino';
import { loadConfig } from '../server/config/env.ts';
import { startService } from '../server/start.ts';

const output = process.argv[2] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshot.png');
const service = await startService(loadConfig({ LOG_LEVEL: 'silent' }), pino({ level: 'silent' }), { inMemory: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
try {
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  const address = service.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const grids = (await service.app.inject({ method: 'GET', url: '/v1/grids?limit=10000' })).json().features as Feature<Polygon | MultiPolygon, { code: string }>[];
  // The grid nearest the middle of the partition, so the view shows its neighbours around it.
  const centres = grids.map((g) => centroid(g).geometry.coordinates);
  const mean = [centres.reduce((a, c) => a + c[0], 0) / centres.length, centres.reduce((a, c) => a + c[1], 0) / centres.length];
  const nearest = grids[centres.reduce((best, c, i) => (Math.hypot(c[0] - mean[0], c[1] - mean[1]) < Math.hypot(centres[best][0] - mean[0], centres[best][1] - mean[1]) ? i : best), 0)];

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript(() => localStorage.setItem('wangge.apiKey', 'demo-maritime'));
  await page.goto(`http://127.0.0.1:${address.port}/`);
  await page.waitForSelector('body[data-sea="true"]', { state: 'attached', timeout: 60_000 });
  await page.click('#alerts-latest');
  await page.waitForSelector('#alerts-panel li[data-kind="left_formation"]', { timeout: 30_000 });
  await page.fill('#search-input', nearest.properties.code);
  await page.click(`#search-results li[data-code="${nearest.properties.code}"]`);
  // From the town to the fishing grounds east of 朱家尖.
  await page.evaluate(() => {
    const { map } = (window as unknown as { __wangge: { map: { fitBounds(b: number[], o: object): void } } }).__wangge;
    map.fitBounds([122.29, 29.81, 122.7, 29.98], { padding: 0, duration: 0 });
  });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const { map } = (window as unknown as { __wangge: { map: { once(e: string, f: () => void): void; triggerRepaint(): void } } }).__wangge;
        map.once('idle', resolve);
        map.triggerRepaint();
      }),
  );
  await page.screenshot({ path: output });
  console.log(JSON.stringify({ output, grid: nearest.properties.code }));
} finally {
  await browser.close();
  await service.close();
}
