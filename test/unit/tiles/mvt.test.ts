import { describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { encodeMvt } from '../../../server/domain/tiles/mvt.ts';

const decode = (bytes: Uint8Array) => new VectorTile(new PbfReader(bytes));

describe('encodeMvt', () => {
  it('round-trips polygons with holes, attributes of every type and ids through @mapbox/vector-tile', () => {
    // Outer ring given counter-clockwise on screen and the hole clockwise: the encoder must reverse both.
    const outer = [[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]];
    const hole = [[20, 20], [60, 20], [60, 60], [20, 60], [20, 20]];
    const bytes = encodeMvt([
      {
        name: 'grids',
        extent: 4096,
        features: [
          { id: 7, geometry: { type: 'Polygon', coordinates: [outer, hole] }, properties: { code: '330903001001001', households: 412, share: 0.5, filed: true, minus: -3, none: null } },
          { geometry: { type: 'MultiPolygon', coordinates: [[[[200, 200], [300, 200], [300, 300], [200, 300], [200, 200]]], [[[400, 400], [450, 400], [450, 450], [400, 400]]]] }, properties: { code: 'b' } },
        ],
      },
    ]);
    const layer = decode(bytes).layers.grids;
    expect(layer.extent).toBe(4096);
    expect(layer.length).toBe(2);
    const first = layer.feature(0);
    expect(first.id).toBe(7);
    expect(first.type).toBe(3);
    expect(first.properties).toEqual({ code: '330903001001001', households: 412, share: 0.5, filed: true, minus: -3 });
    const geo = first.toGeoJSON(0, 0, 0);
    expect(geo.geometry.type).toBe('Polygon');
    expect(layer.feature(1).loadGeometry()).toHaveLength(2);
    const second = layer.feature(1).toGeoJSON(0, 0, 0);
    expect(second.geometry.type).toBe('MultiPolygon');
    const rings = first.loadGeometry();
    expect(rings).toHaveLength(2);
    expect(rings[0].map((p) => [p.x, p.y]).slice(0, -1).sort()).toEqual(outer.slice(0, -1).sort());
  });

  it('drops degenerate rings and collapsed features, and leaves empty layers out', () => {
    const collapsed = { type: 'Polygon' as const, coordinates: [[[5, 5], [5, 5], [6, 5], [5, 5]]] };
    const empty = encodeMvt([{ name: 'grids', extent: 4096, features: [{ geometry: collapsed, properties: {} }] }]);
    expect(empty.byteLength).toBe(0);
    const bytes = encodeMvt([
      { name: 'empty', extent: 4096, features: [] },
      { name: 'lines', extent: 4096, features: [{ geometry: { type: 'LineString', coordinates: [[0, 0], [10, 10]] }, properties: { n: 1 } }] },
    ]);
    const tile = decode(bytes);
    expect(Object.keys(tile.layers)).toEqual(['lines']);
    expect(tile.layers.lines.feature(0).loadGeometry()[0].map((p) => [p.x, p.y])).toEqual([[0, 0], [10, 10]]);
  });

  it('shares keys and values between features', () => {
    const point = { type: 'Point' as const, coordinates: [1, 2] };
    const shared = encodeMvt([{ name: 'p', extent: 4096, features: [{ geometry: point, properties: { kind: 'comprehensive' } }, { geometry: point, properties: { kind: 'comprehensive' } }] }]);
    const distinct = encodeMvt([{ name: 'p', extent: 4096, features: [{ geometry: point, properties: { kind: 'comprehensive' } }, { geometry: point, properties: { sort: 'comprehensivX' } }] }]);
    // The second feature of `shared` points at the first one's key and value instead of storing them again.
    expect(distinct.byteLength - shared.byteLength).toBeGreaterThanOrEqual('sort'.length + 'comprehensivX'.length);
    expect(decode(shared).layers.p.feature(1).properties).toEqual({ kind: 'comprehensive' });
  });
});
