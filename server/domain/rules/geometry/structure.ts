// Is it a Polygon/MultiPolygon of finite [lon, lat] numbers, in range, in the right order, with closed rings of
// at least 4 positions and not too many of them? Anything failing here is not handed to the later geometry checks.
import type { Position } from 'geojson';
import type { Finding } from '../../../schemas/resources.ts';
import { featurePointer, findingFactory, type RuleContext } from '../finding.ts';
import type { RuleSet } from '../ruleSet.ts';
import type { Area } from '../input.ts';
import { polygonsOf, type Bbox } from '../topology/overlay.ts';

/** Mainland, Hainan and the near seas; a coarse extent for telling lon/lat from lat/lon. */
export const CHINA_EXTENT: Bbox = [73.4, 18.1, 135.1, 53.6];

const within = (b: Bbox, box: readonly number[]) => b[0] >= box[0] && b[1] >= box[1] && b[2] <= box[2] && b[3] <= box[3];

export function readArea(raw: unknown, index: number, ctx: Pick<RuleContext, 'finding' | 'ruleSet'>): { area: Area | null; findings: Finding[] } {
  const at = (...path: Array<string | number>) => featurePointer(index, 'geometry', ...path);
  const fail = (ruleId: Parameters<RuleContext['finding']>[0], zh: string, en: string, pointer: string, extra = {}) => ({
    area: null,
    findings: [ctx.finding(ruleId, { zh, en }, { codes: [index], pointer, ...extra })],
  });

  if (typeof raw !== 'object' || raw === null || !('type' in raw)) return fail('geometry.type', '缺少几何', 'geometry missing', at());
  const g = raw as { type: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return fail('geometry.type', `几何类型应为 Polygon 或 MultiPolygon，实为 ${String(g.type)}`, `geometry type must be Polygon or MultiPolygon, not ${String(g.type)}`, at('type'));
  }
  const bad = malformedAt(g.coordinates, g.type === 'Polygon' ? 2 : 3);
  if (bad) return fail('geometry.coordinates', `坐标格式错误：${bad.zh}`, `coordinates malformed: ${bad.en}`, at('coordinates', ...bad.path));
  const area = raw as Area;

  let vertices = 0;
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOf(area)) {
    for (const ring of polygon) {
      vertices += ring.length;
      for (const [x, y] of ring) {
        if (x < box[0]) box[0] = x;
        if (y < box[1]) box[1] = y;
        if (x > box[2]) box[2] = x;
        if (y > box[3]) box[3] = y;
      }
    }
  }
  const { maxVertices, serviceArea } = ctx.ruleSet.geometry;
  if (vertices > maxVertices) {
    return fail('geometry.vertex_limit', `顶点数 ${vertices} 超过上限 ${maxVertices}`, `${vertices} vertices, limit ${maxVertices}`, at('coordinates'));
  }

  const swapped: Bbox = [box[1], box[0], box[3], box[2]];
  if ((!within(box, serviceArea) && within(swapped, serviceArea)) || (!within(box, CHINA_EXTENT) && within(swapped, CHINA_EXTENT))) {
    return fail('geometry.swapped', '经纬度可能颠倒（应为 [经度, 纬度]）', 'longitude and latitude look swapped (GeoJSON is [lon, lat])', at('coordinates'), { repair: flip(area) });
  }
  const outOfRange = firstPosition(area, ([x, y]) => Math.abs(x) > 180 || Math.abs(y) > 90);
  if (outOfRange) return fail('geometry.range', '经度应在 ±180、纬度应在 ±90 之内', 'longitude must be within ±180 and latitude within ±90', at('coordinates', ...outOfRange));
  if (!within(box, CHINA_EXTENT)) return fail('geometry.bounds', '几何位于中国范围之外', 'geometry lies outside China', at('coordinates'));

  const findings: Finding[] = [];
  if (!within(box, serviceArea)) {
    findings.push(ctx.finding('geometry.service_area', { zh: '几何超出本规则集的服务范围', en: "geometry lies outside the rule set's service area" }, { codes: [index], pointer: at('coordinates') }));
  }
  let fatal = false;
  const parts = polygonsOf(area);
  parts.forEach((polygon, p) =>
    polygon.forEach((ring, r) => {
      const path = area.type === 'Polygon' ? [r] : [p, r];
      if (ring.length < 4) {
        fatal = true;
        findings.push(ctx.finding('geometry.ring_size', { zh: `环只有 ${ring.length} 个点，至少需要 4 个`, en: `ring has ${ring.length} positions, at least 4 needed` }, { codes: [index], pointer: at('coordinates', ...path) }));
        return;
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        fatal = true;
        findings.push(
          ctx.finding('geometry.ring_not_closed', { zh: '环未闭合：首末点不同', en: 'ring not closed: last position differs from the first' }, {
            codes: [index],
            pointer: at('coordinates', ...path, ring.length - 1),
            repair: closeRings(area),
          }),
        );
      }
    }),
  );
  return { area: fatal ? null : area, findings };
}

/**
 * Why the rules cannot read one grid's geometry at all (wrong type, malformed or out-of-range coordinates, rings
 * unclosed or too short…), with pointers into the feature (`/geometry/coordinates/0/3`); empty when they can.
 * A plan refuses such a grid as it is written rather than only reporting it later.
 */
export function unreadableArea(raw: unknown, ruleSet: RuleSet): Finding[] {
  const { area, findings } = readArea(raw, 0, { ruleSet, finding: findingFactory(ruleSet, 'draft') });
  const inFeature = featurePointer(0);
  return area ? [] : findings.map((f) => ({ ...f, pointer: f.pointer?.startsWith(inFeature) ? f.pointer.slice(inFeature.length) : f.pointer }));
}

/** Where the coordinates stop being `depth` levels of arrays around positions of 2–3 finite numbers. */
function malformedAt(value: unknown, depth: number, path: number[] = []): { path: number[]; zh: string; en: string } | null {
  if (!Array.isArray(value)) return { path, zh: '应为数组', en: 'expected an array' };
  if (depth === 0) {
    if (value.length < 2 || value.length > 3) return { path, zh: '位置应为 [经度, 纬度]', en: 'a position is [lon, lat]' };
    const i = value.findIndex((n) => typeof n !== 'number' || !Number.isFinite(n));
    return i < 0 ? null : { path: [...path, i], zh: '应为有限数值', en: 'expected a finite number' };
  }
  if (value.length === 0) return { path, zh: '不应为空', en: 'must not be empty' };
  for (let i = 0; i < value.length; i++) {
    const bad = malformedAt(value[i], depth - 1, [...path, i]);
    if (bad) return bad;
  }
  return null;
}

function firstPosition(area: Area, test: (p: Position) => boolean): number[] | null {
  const parts = polygonsOf(area);
  for (let p = 0; p < parts.length; p++) {
    for (let r = 0; r < parts[p].length; r++) {
      const i = parts[p][r].findIndex(test);
      if (i >= 0) return area.type === 'Polygon' ? [r, i] : [p, r, i];
    }
  }
  return null;
}

export function mapRings(area: Area, f: (ring: Position[], r: number) => Position[]): Area {
  const polygons = polygonsOf(area).map((polygon) => polygon.map(f));
  return area.type === 'Polygon' ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

const flip = (area: Area) => mapRings(area, (ring) => ring.map(([x, y, ...rest]) => [y, x, ...rest]));

const closeRings = (area: Area) =>
  mapRings(area, (ring) => (ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring : [...ring, ring[0]]));
