// OGC API – Features through HTTP on both backends, and GDAL's OAPIF driver reading it as QGIS would.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { Validator } from '@seriousme/openapi-schema-validator';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

const run = promisify(execFile);
const CGCS2000 = 'http://www.opengis.net/def/crs/EPSG/0/4490';
const COLLECTIONS = ['divisions', 'divisions-county', 'divisions-township', 'divisions-village', 'grids', 'micro-grids', 'sea-grids', 'islands', 'household-density'];
const LAND_GRIDS = `valid_to IS NULL AND parent_code IS NULL AND kind IN ('comprehensive', 'special')`;

interface Link {
  href: string;
  rel: string;
  type?: string;
}

describe.each(BACKENDS)('OGC API – Features on %s', (backend) => {
  let service: TestService;
  let changed: { code: string; name: string };
  const get = (url: string, headers: Record<string, string> = {}) => service.app.inject({ method: 'GET', url, headers });
  const json = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const count = async (sql: string) => Number((await service.db.knex.raw(`SELECT count(*) AS n FROM ${sql}`)).rows[0].n);
  const pathOf = (href: string) => new URL(href).pathname + new URL(href).search;

  beforeAll(async () => {
    service = await startTestService(backend);
    const knex = service.db.knex;
    // A sea grid from the fixture, a micro-grid inside a filed grid, and a second version of that grid.
    const sea: FeatureCollection<MultiPolygon> = JSON.parse(await readFile(path.resolve('test/fixtures/ogc/sea-grid.geojson'), 'utf8'));
    for (const f of sea.features) {
      const p = f.properties!;
      await knex('grid_codes').insert({ code: p.code, division_code: p.divisionCode, kind: p.kind });
      await knex.raw(
        `INSERT INTO grids (code, name, kind, subkind, division_code, valid_from, geom) VALUES (?, ?, ?, ?, ?, '2024-01-15', ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))`,
        [p.code, p.name, p.kind, p.subkind, p.divisionCode, JSON.stringify(f.geometry)],
      );
    }
    const grid = await knex('grids').whereRaw(LAND_GRIDS).orderBy('code').first();
    await knex('grid_codes').insert({ code: `${grid.code}01`, division_code: grid.division_code, kind: 'comprehensive' });
    await knex.raw(
      `INSERT INTO grids (code, name, kind, division_code, parent_code, households, valid_from, geom)
       SELECT code || '01', name || '第1微网格', kind, division_code, code, 60, valid_from, geom FROM grids WHERE id = ?`,
      [grid.id],
    );
    await knex('grids').where({ id: grid.id }).update({ valid_to: '2025-06-01' });
    await knex.raw(
      `INSERT INTO grids (code, version, name, kind, subkind, division_code, households, population, valid_from, geom)
       SELECT code, version + 1, name || '（调整）', kind, subkind, division_code, households + 10, population, '2025-06-01', geom FROM grids WHERE id = ?`,
      [grid.id],
    );
    changed = { code: grid.code, name: grid.name };
  });
  afterAll(async () => {
    await service?.close();
  });

  it('has a landing page linking self, conformance, data and the OpenAPI document', async () => {
    const landing = await json('/ogc');
    const rels = new Map((landing.links as Link[]).map((l) => [l.rel, l]));
    for (const rel of ['self', 'conformance', 'data', 'service-desc']) expect(rels.has(rel), rel).toBe(true);
    expect(new URL(rels.get('service-desc')!.href).pathname).toBe('/ogc/api');
    expect(rels.get('service-desc')!.type).toBe('application/vnd.oai.openapi+json;version=3.0');
    expect((await get(pathOf(rels.get('data')!.href))).statusCode).toBe(200);
    const { conformsTo } = await json(pathOf(rels.get('conformance')!.href));
    expect(conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
      ]),
    );
  });

  it('describes itself in OpenAPI 3.0 at the service-desc link, as the oas30 class it declares asks', async () => {
    const landing = await json('/ogc');
    const rels = new Map((landing.links as Link[]).map((l) => [l.rel, l]));
    expect(pathOf(rels.get('service-desc')!.href)).toBe('/ogc/api');
    const { conformsTo } = await json('/ogc/conformance');
    expect(conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30');
    const res = await get('/ogc/api');
    expect(res.statusCode).toBe(200);
    // GDAL compares the type token by token: `version=3.0` must be there as written.
    expect(String(res.headers['content-type']).split(/;\s*/)).toEqual(expect.arrayContaining(['application/vnd.oai.openapi+json', 'version=3.0']));
    const document = res.json();
    expect(document.openapi).toMatch(/^3\.0\./);
    expect(document.servers).toEqual([{ url: rels.get('service-desc')!.href.replace(/\/api$/, '') }]);
    const generic = ['/', '/conformance', '/collections', '/collections/{collectionId}', '/collections/{collectionId}/queryables', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}'];
    expect(Object.keys(document.paths).sort()).toEqual([...generic, ...COLLECTIONS.map((id) => `/collections/${id}/items`)].sort());
    const items = document.paths['/collections/{collectionId}/items'].get;
    expect(Object.keys(items.responses['200'].content)).toEqual(['application/geo+json', 'text/html']);
    const limit = items.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 100 } });
    // Each collection's own items path lists its property filters, as its queryables do.
    const queryables = (await json('/ogc/collections/grids/queryables')).properties;
    const gridFilters = document.paths['/collections/grids/items'].get.parameters.filter((p: { description?: string }) => p.description?.startsWith('property filter'));
    expect(gridFilters.map((p: { name: string }) => p.name).sort()).toEqual(Object.keys(queryables).sort());
    const validation = await new Validator().validate(document);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
    // The whole service keeps its OpenAPI 3.1 document, OGC paths included.
    const full = await json('/openapi.json');
    expect(full.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(full.paths)).toEqual(expect.arrayContaining(generic.map((p) => `/ogc${p === '/' ? '' : p}`)));
  });

  it('lists every collection with both CRSs, a spatial extent and an items link', async () => {
    const { collections } = await json('/ogc/collections');
    expect(collections.map((c: { id: string }) => c.id)).toEqual(COLLECTIONS);
    for (const c of collections) {
      expect(c.crs).toContain(CGCS2000);
      expect(c.links.some((l: Link) => l.rel === 'items' && l.type === 'application/geo+json')).toBe(true);
    }
    const grids = collections.find((c: { id: string }) => c.id === 'grids');
    const [w, s, e, n] = grids.extent.spatial.bbox[0];
    expect(w).toBeGreaterThan(121);
    expect(e).toBeLessThan(124);
    expect(s).toBeLessThan(n);
    expect(grids.extent.temporal.interval[0]).toEqual(['2024-01-15', null]);
    expect((await get('/ogc/collections/nothing')).statusCode).toBe(404);
  });

  it('serves items as GeoJSON with numberMatched, timeStamp and Content-Crs, matching the database', async () => {
    const res = await get('/ogc/collections/grids/items?limit=10000');
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    const body = res.json();
    const total = await count(`grids WHERE ${LAND_GRIDS}`);
    expect(total).toBeGreaterThan(0);
    expect(body.numberMatched).toBe(total);
    expect(body.numberReturned).toBe(total);
    expect(Date.parse(body.timeStamp)).not.toBeNaN();
    expect(body.features.every((f: Feature) => f.properties!.kind !== 'maritime' && f.properties!.parentCode === null)).toBe(true);
    expect((await json('/ogc/collections/micro-grids/items')).features.map((f: Feature) => f.id)).toEqual([`${changed.code}01`]);
    const seaIds = (await json('/ogc/collections/sea-grids/items')).features.map((f: Feature) => f.id);
    expect(seaIds).toContain('330903001001801');
    expect(seaIds).toHaveLength(await count(`grids WHERE kind = 'maritime' AND valid_to IS NULL`));
  });

  it('pages with next and prev links until every feature is seen once', async () => {
    const total = await count(`grids WHERE ${LAND_GRIDS}`);
    const seen: string[] = [];
    let url: string | undefined = '/ogc/collections/grids/items?limit=25';
    let pages = 0;
    while (url) {
      const body = await json(url);
      seen.push(...body.features.map((f: Feature) => String(f.id)));
      if (pages > 0) expect(body.links.some((l: Link) => l.rel === 'prev')).toBe(true);
      const next = (body.links as Link[]).find((l) => l.rel === 'next');
      url = next ? pathOf(next.href) : undefined;
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / 25));
    expect(new Set(seen).size).toBe(total);
  });

  it('filters by bbox, and by bbox in EPSG:4490 axis order', async () => {
    const all = await json('/ogc/collections/grids/items?limit=10000');
    const inBox = await json('/ogc/collections/grids/items?limit=10000&bbox=122.28,29.94,122.32,29.97');
    expect(inBox.numberMatched).toBeGreaterThan(0);
    expect(inBox.numberMatched).toBeLessThan(all.numberMatched);
    const expected = await service.db.knex('grids').whereRaw(`${LAND_GRIDS} AND geom && ST_MakeEnvelope(122.28, 29.94, 122.32, 29.97, 4326)`).pluck('code');
    expect(inBox.features.map((f: Feature) => f.id).sort()).toEqual(expected.sort());
    const swapped = await json(`/ogc/collections/grids/items?limit=10000&bbox=29.94,122.28,29.97,122.32&bbox-crs=${encodeURIComponent(CGCS2000)}`);
    expect(swapped.features.map((f: Feature) => f.id)).toEqual(inBox.features.map((f: Feature) => f.id));
  });

  it('answers in EPSG:4490 with latitude first', async () => {
    const plain = await json(`/ogc/collections/grids/items/${changed.code}`);
    const res = await get(`/ogc/collections/grids/items/${changed.code}?crs=${encodeURIComponent(CGCS2000)}`);
    expect(res.headers['content-crs']).toBe(`<${CGCS2000}>`);
    const [lon, lat] = plain.geometry.coordinates[0][0][0];
    expect(res.json().geometry.coordinates[0][0][0]).toEqual([lat, lon]);
  });

  it('selects the partition in force on a date, or every version valid during an interval', async () => {
    const before = await json(`/ogc/collections/grids/items?limit=10000&datetime=2025-01-01`);
    const now = await json(`/ogc/collections/grids/items?limit=10000`);
    const name = (body: FeatureCollection) => body.features.find((f) => f.id === changed.code)?.properties?.name;
    expect(name(before)).toBe(changed.name);
    expect(name(now)).toBe(`${changed.name}（调整）`);
    expect((await json(`/ogc/collections/grids/items?datetime=2000-01-01T00:00:00Z`)).numberMatched).toBe(0);
    const interval = await json(`/ogc/collections/grids/items?limit=10000&datetime=2025-01-01/2025-12-31&code=${changed.code}`);
    expect(interval.features.map((f: Feature) => f.id)).toEqual([`${changed.code}.v1`, `${changed.code}.v2`]);
    expect((await json(`/ogc/collections/grids/items/${changed.code}.v1`)).properties.validTo).toBe('2025-06-01');
    expect((await json(`/ogc/collections/grids/items/${changed.code}?datetime=2025-01-01`)).properties.version).toBe(1);
  });

  it('filters on properties', async () => {
    const townships = await json('/ogc/collections/divisions/items?level=township&limit=1000');
    expect(townships.numberMatched).toBe(await count(`divisions WHERE level = 'township'`));
    expect((await json('/ogc/collections/divisions-village/items?limit=1')).numberMatched).toBe(await count(`divisions WHERE level = 'village'`));
    const township = changed.code.slice(0, 9);
    const inTownship = await json(`/ogc/collections/grids/items?limit=10000&divisionCode=${township}000`);
    expect(inTownship.numberMatched).toBe(await count(`grids WHERE ${LAND_GRIDS} AND division_code LIKE '${township}%'`));
    const inhabited = await json('/ogc/collections/islands/items?limit=10000&inhabited=true');
    expect(inhabited.features.every((f: Feature) => f.properties!.inhabited === true)).toBe(true);
    expect(inhabited.numberMatched).toBe(await count('islands WHERE residents >= 50'));
  });

  it('aggregates households into cells, never single records', async () => {
    const cells = await json('/ogc/collections/household-density/items?limit=10000');
    const total = cells.features.reduce((sum: number, f: Feature) => sum + (f.properties!.households as number), 0);
    const stored = Number((await service.db.knex.raw('SELECT sum(households) AS n FROM household_counts')).rows[0].n);
    expect(total).toBe(stored);
    expect(cells.numberMatched).toBeLessThan(await count('household_counts'));
    const one = cells.features[0];
    expect((await json(`/ogc/collections/household-density/items/${one.id}`)).properties.households).toBe(one.properties.households);
    // A bbox returns whole cells: the cell containing the bbox has all its households, not just those in the box.
    const [[w, s], , [e, n]] = one.geometry.coordinates[0];
    const part = await json(`/ogc/collections/household-density/items?bbox=${w + 0.004},${s + 0.004},${e - 0.004},${n - 0.004}`);
    expect(part.features.find((f: Feature) => f.id === one.id)?.properties?.households).toBe(one.properties.households);
  });

  it('returns one feature by id, 404 for an unknown one', async () => {
    const island = (await json('/ogc/collections/islands/items?limit=1')).features[0];
    expect((await json(`/ogc/collections/islands/items/${island.id}`)).properties.name).toBe(island.properties.name);
    expect((await get('/ogc/collections/grids/items/330999999999001')).statusCode).toBe(404);
    expect((await get('/ogc/collections/divisions-county/items/330902001000')).statusCode).toBe(404);
  });

  it('renders every resource as HTML with f=html, linking on to the next HTML page', async () => {
    const html = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      return res.body;
    };
    const hrefs = (body: string) => [...body.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(await html('/ogc?f=html')).toContain('Wangge');
    expect(await html('/ogc/conformance?f=html')).toContain('http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs');
    const collections = await html('/ogc/collections?f=html');
    for (const id of COLLECTIONS) expect(hrefs(collections)).toContain(`http://localhost:80/ogc/collections/${id}?f=html`);
    expect(hrefs(await html('/ogc/collections/grids?f=html'))).toContain('http://localhost:80/ogc/collections/grids/items?f=html');
    const page1 = await html('/ogc/collections/grids/items?f=html&limit=5');
    const next = hrefs(page1).find((h) => h.includes('offset=5'));
    expect(next).toBeDefined();
    expect(new URL(next!).searchParams.get('f')).toBe('html');
    const page2 = await html(pathOf(next!));
    expect(hrefs(page2).some((h) => h.includes('offset=0'))).toBe(true);
    const feature = hrefs(page1).find((h) => h.includes('/items/'))!;
    const one = await html(pathOf(feature));
    expect(one).toContain(decodeURIComponent(new URL(feature).pathname.split('/').pop()!));
  });

  it('renders HTML for f=html and for browsers', async () => {
    const res = await get('/ogc/collections/grids/items?limit=5&f=html');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain((await json('/ogc/collections/grids/items?limit=1')).features[0].id);
    expect((await get('/ogc', { accept: 'text/html,application/xhtml+xml' })).headers['content-type']).toMatch(/^text\/html/);
  });

  it.each([
    ['/ogc/collections/grids/items?bbox=122.5,30,122.1,29.9', 'bbox'],
    ['/ogc/collections/grids/items?bbox=1,2,3', 'bbox'],
    ['/ogc/collections/grids/items?datetime=2024-13-01', 'datetime'],
    ['/ogc/collections/grids/items?datetime=../..', 'datetime'],
    ['/ogc/collections/grids/items?datetime=2025-01-01/2024-01-01', 'datetime'],
    ['/ogc/collections/grids/items?crs=EPSG:3857', 'crs'],
    ['/ogc/collections/grids/items?bbox=1,2,3,4&bbox-crs=urn:x', 'bbox-crs'],
    ['/ogc/collections/grids/items?kind=maritime', 'kind'],
    ['/ogc/collections/grids/items?colour=red', 'colour'],
    ['/ogc/collections/grids/items?limit=0', 'limit'],
    ['/ogc/collections/islands/items?inhabited=yes', 'inhabited'],
  ])('rejects %s with 400 naming %s', async (url, parameter) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(parameter);
  });

  it('is read by GDAL: ogrinfo lists the collections, ogr2ogr copies every grid and every feature of every collection, and sends a property filter to the server', { timeout: 120_000 }, async () => {
    const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
    const dir = await mkdtemp(path.join(tmpdir(), 'wangge-oapif-'));
    try {
      const { stdout } = await run('ogrinfo', ['-ro', '-q', `OAPIF:${address}/ogc`]);
      for (const id of COLLECTIONS) expect(stdout).toMatch(new RegExp(`^\\d+: ${id}( |$)`, 'm'));
      const out = path.join(dir, 'grids.geojson');
      await run('ogr2ogr', ['-f', 'GeoJSON', out, `OAPIF:${address}/ogc`, 'grids']);
      const copied: FeatureCollection = JSON.parse(await readFile(out, 'utf8'));
      const codes = await service.db.knex('grids').whereRaw(LAND_GRIDS).pluck('code');
      expect(copied.features.map((f) => f.properties!.code).sort()).toEqual(codes.sort());
      expect(copied.features.every((f) => f.geometry.type === 'MultiPolygon')).toBe(true);

      // Every feature of every collection, copied in one go (pages of 1000).
      const everything = path.join(dir, 'everything.gpkg');
      await run('ogr2ogr', ['-f', 'GPKG', everything, `OAPIF:${address}/ogc`, '-oo', 'PAGE_SIZE=1000']);
      const summary = (await run('ogrinfo', ['-ro', '-so', '-al', everything], { maxBuffer: 1e8 })).stdout;
      const counts = Object.fromEntries([...summary.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)].map((m) => [m[1], Number(m[2])]));
      for (const id of COLLECTIONS) expect(counts[id], id).toBe((await json(`/ogc/collections/${id}/items?limit=1`)).numberMatched);
      expect(counts.divisions).toBe(await count('divisions'));
      expect(counts.islands).toBe(await count('islands'));

      // An attribute filter goes to the server: GDAL finds the parameter in the OpenAPI 3.0 document.
      const requested: string[] = [];
      const record = (request: { url?: string }) => requested.push(request.url ?? '');
      service.app.server.prependListener('request', record);
      const village = changed.code.slice(0, 12);
      const filtered = path.join(dir, 'village.geojson');
      await run('ogr2ogr', ['-f', 'GeoJSON', '-where', `divisionCode = '${village}'`, filtered, `OAPIF:${address}/ogc`, 'grids']);
      service.app.server.off('request', record);
      expect(requested).toContain('/ogc/api');
      expect(requested.some((url) => url.startsWith('/ogc/collections/grids/items?') && url.includes(`divisionCode=${village}`))).toBe(true);
      const inVillage = await service.db.knex('grids').whereRaw(LAND_GRIDS).where('division_code', village).pluck('code');
      expect(inVillage.length).toBeGreaterThan(0);
      const villageFile: FeatureCollection = JSON.parse(await readFile(filtered, 'utf8'));
      expect(villageFile.features.map((f) => f.properties!.code).sort()).toEqual(inVillage.sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
