// Saves docs/notice.png: a grid's printed public notice (公示) beside the first page of its township's document, both
// at A4 size as Chromium renders them, and checks that the grid notice prints on exactly one A4 page.
// Usage: npx tsx scripts/notice-screenshot.ts [output.png]
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import pino from 'pino';
import { loadConfig } from '../server/config/env.ts';
import { startService } from '../server/start.ts';

const TOWNSHIP = '330903001000';
const output = process.argv[2] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/notice.png');
// A4 at 96 dpi plus the screen stylesheet's 8 mm margin around each sheet.
const SHEET = { width: 840, height: 1180 };

const service = await startService(loadConfig({ LOG_LEVEL: 'silent' }), pino({ level: 'silent' }), { inMemory: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const get = async (url: string) => (await service.app.inject({ method: 'GET', url })).body;
  const notices = JSON.parse(await get(`/v1/divisions/${TOWNSHIP}/notice`)).notices as Array<{ code: string }>;
  const code = notices[Math.floor(notices.length / 2)].code;
  const gridHtml = await get(`/v1/grids/${code}/notice?f=html`);
  const townshipHtml = await get(`/v1/divisions/${TOWNSHIP}/notice?f=html`);

  const page = await browser.newPage();
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('about:') && !r.url().startsWith('data:')) external.push(r.url());
  });
  await page.setContent(gridHtml);
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const gridPages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  await page.setContent(townshipHtml);
  const townshipPdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const townshipPages = (townshipPdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

  const frame = (html: string) =>
    `<iframe srcdoc="${html.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" style="width:${SHEET.width}px;height:${SHEET.height}px;border:0" scrolling="no"></iframe>`;
  await page.setViewportSize({ width: 2 * SHEET.width, height: SHEET.height });
  await page.setContent(`<body style="margin:0;display:flex;background:#ddd">${frame(gridHtml)}${frame(townshipHtml)}</body>`);
  await page.waitForTimeout(500);
  await page.screenshot({ path: output });
  console.log(JSON.stringify({ output, grid: code, gridPdfPages: gridPages, townshipPdfPages: townshipPages, grids: notices.length, externalRequests: external }));
} finally {
  await browser.close();
  await service.close();
}
