// The area map of a public notice as inline SVG: focus grids in colour, neighbours and the division outline in grey,
// a scale bar and a north arrow. Plain markup, so the printed page needs no tiles, scripts or network.
import { feature, pointOnFeature } from '@turf/turf';
import type { AreaGeometry } from '../../schemas/geojson.ts';
import { boxOf, boxesIntersect, expandBox, fitFrame, pathData, type LonLatBox, type MapFrame } from './frame.ts';
import { escapeHtml } from './escape.ts';

export interface MapShape {
  geometry: AreaGeometry;
  label?: string;
}

export interface NoticeMapInput {
  /** Grids the notice is about, drawn in colour and labelled. */
  focus: MapShape[];
  /** Neighbouring grids, drawn in grey where they fall inside the frame. */
  context: MapShape[];
  /** Boundary of the division, drawn as a grey dashed line. */
  outline: AreaGeometry | null;
  /** What the map shows; defaults to the focus grids. */
  box?: LonLatBox;
  width: number;
  height: number;
}

const PADDING = 24;

/** 1, 2 or 5 × 10^n metres, the longest that fits `maxMetres`. */
export function scaleBarMetres(maxMetres: number): number {
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  return [5, 2, 1].map((m) => m * power).find((m) => m <= maxMetres) ?? power;
}

const formatMetres = (m: number) => (m >= 1000 ? `${m / 1000} km` : `${m} m`);

function scaleBar(frame: MapFrame): string {
  const metres = scaleBarMetres(frame.width / 4 / frame.scale);
  const length = metres * frame.scale;
  const x = 12;
  const y = frame.height - 14;
  return `<g class="scale-bar" font-size="11" fill="#222">
<rect x="${x - 4}" y="${y - 18}" width="${(length + 8).toFixed(1)}" height="26" fill="#fff" fill-opacity="0.8"/>
<path d="M${x} ${y - 5}V${y}H${(x + length).toFixed(1)}V${y - 5}" fill="none" stroke="#222" stroke-width="1.5"/>
<text x="${x}" y="${y - 8}">0</text><text x="${(x + length).toFixed(1)}" y="${y - 8}" text-anchor="end">${formatMetres(metres)}</text>
</g>`;
}

function northArrow(frame: MapFrame): string {
  const x = frame.width - 24;
  return `<g class="north-arrow" fill="#222" font-size="11" text-anchor="middle">
<path d="M${x} 12L${x + 8} 36L${x} 30L${x - 8} 36Z"/><text x="${x}" y="50">N 北</text>
</g>`;
}

/** A label at a point inside the shape, left out where the shape is drawn too small to hold it legibly. */
function label(shape: MapShape, frame: MapFrame, size: number): string {
  const box = boxOf([shape.geometry]);
  if (!shape.label || !box) return '';
  const [left, bottom] = frame.project(box[0], box[1]);
  const [right, top] = frame.project(box[2], box[3]);
  if (right - left < shape.label.length * size * 0.6 || bottom - top < size) return '';
  const [lon, lat] = pointOnFeature(feature(shape.geometry)).geometry.coordinates;
  const [x, y] = frame.project(lon, lat);
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" text-anchor="middle" dominant-baseline="middle" paint-order="stroke" stroke="#fff" stroke-width="3" fill="#0b3d91">${escapeHtml(shape.label)}</text>`;
}

/**
 * The notice map as an `<svg>` element.
 * @example renderNoticeMap({ focus: [{ geometry, label: '001' }], context: [], outline: null, width: 600, height: 400 })
 */
export function renderNoticeMap(input: NoticeMapInput): string {
  const box = input.box ?? boxOf(input.focus.map((s) => s.geometry));
  const { width, height } = input;
  if (!box) return `<svg viewBox="0 0 ${width} ${height}" class="notice-map"></svg>`;
  const frame = fitFrame(box, width, height, PADDING);
  const visible = (s: MapShape) => {
    const b = boxOf([s.geometry]);
    return b !== null && boxesIntersect(b, frame.extent);
  };
  const context = input.context.filter(visible).map((s) => `<path d="${pathData(s.geometry, frame)}"/>`);
  const focus = input.focus.map((s) => `<path d="${pathData(s.geometry, frame)}"/>`);
  const labelSize = input.focus.length > 1 ? 10 : 14;
  return `<svg viewBox="0 0 ${width} ${height}" class="notice-map" role="img">
<rect width="${width}" height="${height}" fill="#f4f7fa"/>
<g class="context" fill="#e2e2e2" stroke="#9a9a9a" stroke-width="0.8" fill-rule="evenodd">${context.join('')}</g>
${input.outline ? `<path class="outline" d="${pathData(input.outline, frame)}" fill="none" stroke="#777" stroke-width="1.5" stroke-dasharray="6 3"/>` : ''}
<g class="focus" fill="#ffd54f" fill-opacity="0.55" stroke="#c62828" stroke-width="2" fill-rule="evenodd">${focus.join('')}</g>
<g class="labels">${input.focus.map((s) => label(s, frame, labelSize)).join('')}</g>
${scaleBar(frame)}
${northArrow(frame)}
</svg>`;
}

const GRID_MAP = { width: 680, height: 440, margin: 0.3 };
const OVERVIEW_MAP = { width: 680, height: 560 };

/** The lon/lat box a grid's notice map shows: the grid with a margin, widened to the map's aspect ratio. */
export function gridMapExtent(geometry: AreaGeometry): LonLatBox {
  const box = boxOf([geometry]);
  if (!box) throw new Error('grid without coordinates');
  return fitFrame(expandBox(box, GRID_MAP.margin), GRID_MAP.width, GRID_MAP.height, PADDING).extent;
}

/** One grid's notice map: the grid labelled with its name among its neighbours and inside its division's outline. */
export function renderGridMap(grid: MapShape, neighbours: MapShape[], outline: AreaGeometry | null): string {
  const box = boxOf([grid.geometry]);
  return renderNoticeMap({
    focus: [grid],
    context: neighbours,
    outline,
    ...(box ? { box: expandBox(box, GRID_MAP.margin) } : {}),
    width: GRID_MAP.width,
    height: GRID_MAP.height,
  });
}

/** `330903001015003` → `15-3`: village and grid sequence, unique within a township and short enough for a map. */
export const shortGridLabel = (code: string) => `${Number(code.slice(9, 12))}-${Number(code.slice(12, 15))}`;

/** A division's overview map: every grid labelled with shortGridLabel where it has room, inside the division outline. */
export function renderOverviewMap(grids: Array<{ code: string; geometry: AreaGeometry }>, outline: AreaGeometry | null): string {
  const box = boxOf([outline, ...grids.map((g) => g.geometry)]);
  return renderNoticeMap({
    focus: grids.map((g) => ({ geometry: g.geometry, label: shortGridLabel(g.code) })),
    context: [],
    outline,
    ...(box ? { box } : {}),
    width: OVERVIEW_MAP.width,
    height: OVERVIEW_MAP.height,
  });
}
