// The editor's MapLibre transformRequest: its own tiles and OGC documents carry the key, nothing else does.
import { describe, expect, it } from 'vitest';
import { keyedRequest } from '../../../web/src/api/auth.ts';

const PAGE = 'https://wangge.example.gov.cn';

describe('keyedRequest', () => {
  it('sends the key with the product\'s own tiles, TileJSON and OGC documents', () => {
    for (const url of [`${PAGE}/tiles/divisions/12/3439/1690.mvt`, `${PAGE}/tiles/grids.json`, `${PAGE}/tiles`, `${PAGE}/ogc/collections/grids/items`]) {
      expect(keyedRequest(url, 'k-1', PAGE)).toEqual({ url, headers: { authorization: 'Bearer k-1' } });
    }
  });

  it('keeps the key from other origins and from paths that only start alike', () => {
    for (const url of ['https://tiles.example.com/tiles/1/2/3.png', `${PAGE}/tilesets/a.json`, `${PAGE}/v1/grids`]) {
      expect(keyedRequest(url, 'k-1', PAGE)).toEqual({ url });
    }
  });

  it('adds nothing without a key (the public)', () => {
    expect(keyedRequest(`${PAGE}/tiles/grids/1/0/0.mvt`, null, PAGE)).toEqual({ url: `${PAGE}/tiles/grids/1/0/0.mvt` });
  });
});
