// Every source and layer the editor draws, and the groups the layer switcher toggles. Colours live here and in the legend only.
import type { ExpressionSpecification, GeoJSONSource, GeoJSONSourceDiff, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

export const BAND_COLOURS = { under: '#f0b429', in: '#4caf6a', over: '#d64545' } as const;
export const SPECIAL_COLOUR = '#8e6cc0';
export const SEA_GRID_COLOURS = { vessel_formation: '#2b7bb9', aquaculture: '#1a9e96', offshore_operation: '#5561c9' } as const;
export const LAND_COLOUR = '#f3efe4';
export const DRAFT_COLOUR = '#e8590c';
export const BOUNDARY_COLOURS = { county: '#5a4a78', township: '#8a7aa8' } as const;
export const UNCOVERED_COLOUR = '#d6336c';
export const INHABITED_COLOUR = '#2f6f3e';
export const PLAN_COLOUR = '#0b7285';
export const SUGGEST_COLOUR = '#7048e8';
export const DIFF_COLOURS = { added: '#2f9e44', retired: '#c92a2a', reshaped: '#f08c00', unchanged: '#adb5bd' } as const;
export const VILLAGE_COLOUR = '#a38f6b';
export const ALERT_COLOUR = '#e03131';
export const COMMENT_COLOUR = '#f76707';
/** Village boundaries come from the product's vector tiles, which carry villages from z9; drawn from z10 so the overview stays clear. */
export const VILLAGE_MIN_ZOOM = 10;

export type SourceId = 'land' | 'counties' | 'townships' | 'grids' | 'density' | 'draft' | 'findings' | 'plan' | 'comments' | 'diff' | 'suggest' | 'vessels' | 'alerts';
const GEOJSON_SOURCES: SourceId[] = ['land', 'counties', 'townships', 'grids', 'density', 'draft', 'findings', 'plan', 'comments', 'diff', 'suggest', 'vessels', 'alerts'];

export const LAYER_GROUPS = {
  land: ['land-fill', 'land-outline'],
  divisions: ['township-line', 'county-line'],
  villages: ['village-line'],
  density: ['density-heat'],
  grids: ['grid-fill', 'grid-line'],
  special: ['special-fill', 'special-line'],
  micro: ['micro-line'],
  sea: ['sea-fill', 'sea-line'],
  islands: ['island-inhabited', 'island-uncovered'],
  labels: ['grid-label'],
  draft: ['draft-fill', 'draft-line', 'draft-selected'],
  plan: ['plan-fill', 'plan-line', 'plan-checked', 'plan-commented', 'comment-marker', 'comment-label'],
  diff: ['diff-fill', 'diff-line'],
  suggest: ['suggest-fill', 'suggest-line'],
  vessels: ['vessel-circle', 'vessel-label'],
  alerts: ['alert-ring'],
} as const;
export type LayerGroup = keyof typeof LAYER_GROUPS;
/** Groups hidden until the planner turns them on. */
export const HIDDEN_AT_START: LayerGroup[] = ['density'];

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
const isKind = (kind: string): ExpressionSpecification => ['==', ['get', 'kind'], kind];
const landGrid: ExpressionSpecification = ['all', isKind('comprehensive'), ['!', ['get', 'micro']]];
const bandColour: ExpressionSpecification = ['match', ['get', 'band'], 'under', BAND_COLOURS.under, 'in', BAND_COLOURS.in, 'over', BAND_COLOURS.over, '#999999'];
const seaColour: ExpressionSpecification = [
  'match',
  ['get', 'subkind'],
  'vessel_formation',
  SEA_GRID_COLOURS.vessel_formation,
  'aquaculture',
  SEA_GRID_COLOURS.aquaculture,
  SEA_GRID_COLOURS.offshore_operation,
];

/**
 * `origin`: where the product serves its tiles (MapLibre's workers need absolute tile URLs).
 * Fills have `fill-antialias: false`: their edges are drawn by the line layers above them, and the antialiased
 * outline pass would draw every fill twice (and compile two more shader programs before the first frame).
 */
export function addProductLayers(map: MapLibreMap, origin: string): void {
  for (const id of GEOJSON_SOURCES) map.addSource(id, { type: 'geojson', data: empty });
  map.addSource('division-tiles', { type: 'vector', tiles: [`${origin}/tiles/divisions/{z}/{x}/{y}.mvt`], minzoom: VILLAGE_MIN_ZOOM, maxzoom: 16 });
  map.addLayer({ id: 'land-fill', type: 'fill', source: 'land', paint: { 'fill-antialias': false, 'fill-color': LAND_COLOUR } });
  map.addLayer({ id: 'land-outline', type: 'line', source: 'land', paint: { 'line-color': '#b9ad8f', 'line-width': 0.6 } });
  map.addLayer({
    id: 'density-heat',
    type: 'heatmap',
    source: 'density',
    paint: {
      'heatmap-weight': ['get', 'weight'],
      // About one and a half density cells (0.01°) across at every zoom, so neighbouring cells blend.
      'heatmap-radius': ['interpolate', ['exponential', 2], ['zoom'], 8, 5, 12, 45, 16, 700],
      'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 8, 1.2, 14, 0.7],
      'heatmap-opacity': 0.75,
    },
  });
  map.addLayer({ id: 'grid-fill', type: 'fill', source: 'grids', filter: landGrid, paint: { 'fill-antialias': false, 'fill-color': bandColour, 'fill-opacity': 0.35 } });
  map.addLayer({ id: 'grid-line', type: 'line', source: 'grids', filter: landGrid, paint: { 'line-color': '#37474f', 'line-width': 0.8 } });
  map.addLayer({ id: 'special-fill', type: 'fill', source: 'grids', filter: isKind('special'), paint: { 'fill-antialias': false, 'fill-color': SPECIAL_COLOUR, 'fill-opacity': 0.35 } });
  map.addLayer({ id: 'special-line', type: 'line', source: 'grids', filter: isKind('special'), paint: { 'line-color': SPECIAL_COLOUR, 'line-width': 1.2 } });
  map.addLayer({
    id: 'micro-line',
    type: 'line',
    source: 'grids',
    filter: ['get', 'micro'],
    minzoom: 13,
    paint: { 'line-color': '#607d8b', 'line-width': 0.6, 'line-dasharray': [2, 2] },
  });
  map.addLayer({ id: 'sea-fill', type: 'fill', source: 'grids', filter: isKind('maritime'), paint: { 'fill-antialias': false, 'fill-color': seaColour, 'fill-opacity': 0.25 } });
  map.addLayer({ id: 'sea-line', type: 'line', source: 'grids', filter: isKind('maritime'), paint: { 'line-color': seaColour, 'line-width': 1.2 } });
  map.addLayer({
    id: 'island-inhabited',
    type: 'line',
    source: 'land',
    filter: ['all', ['get', 'inhabited'], ['get', 'covered']],
    paint: { 'line-color': INHABITED_COLOUR, 'line-width': 1.2 },
  });
  map.addLayer({
    id: 'island-uncovered',
    type: 'line',
    source: 'land',
    filter: ['all', ['get', 'inhabited'], ['!', ['get', 'covered']]],
    paint: { 'line-color': UNCOVERED_COLOUR, 'line-width': 2, 'line-dasharray': [3, 1.5] },
  });
  map.addLayer({
    id: 'village-line',
    type: 'line',
    source: 'division-tiles',
    'source-layer': 'divisions',
    minzoom: VILLAGE_MIN_ZOOM,
    filter: ['==', ['get', 'level'], 'village'],
    paint: { 'line-color': VILLAGE_COLOUR, 'line-width': 0.8, 'line-dasharray': [1, 1.5] },
  });
  map.addLayer({ id: 'township-line', type: 'line', source: 'townships', paint: { 'line-color': BOUNDARY_COLOURS.township, 'line-width': 1, 'line-dasharray': [4, 2] } });
  map.addLayer({ id: 'county-line', type: 'line', source: 'counties', paint: { 'line-color': BOUNDARY_COLOURS.county, 'line-width': 2 } });
  const diffColour: ExpressionSpecification = ['match', ['get', 'change'], 'added', DIFF_COLOURS.added, 'retired', DIFF_COLOURS.retired, 'reshaped', DIFF_COLOURS.reshaped, DIFF_COLOURS.unchanged];
  map.addLayer({ id: 'diff-fill', type: 'fill', source: 'diff', paint: { 'fill-antialias': false, 'fill-color': diffColour, 'fill-opacity': ['match', ['get', 'change'], 'unchanged', 0.1, 0.45] } });
  map.addLayer({ id: 'diff-line', type: 'line', source: 'diff', paint: { 'line-color': diffColour, 'line-width': 1.5 } });
  map.addLayer({ id: 'suggest-fill', type: 'fill', source: 'suggest', paint: { 'fill-antialias': false, 'fill-color': SUGGEST_COLOUR, 'fill-opacity': ['case', ['get', 'inBand'], 0.15, 0.4] } });
  map.addLayer({ id: 'suggest-line', type: 'line', source: 'suggest', paint: { 'line-color': SUGGEST_COLOUR, 'line-width': 1.5 } });
  // Invisible: it only lets a click find the plan grid under the pointer (a reviewer comments on grids that way).
  map.addLayer({ id: 'plan-fill', type: 'fill', source: 'plan', paint: { 'fill-antialias': false, 'fill-color': PLAN_COLOUR, 'fill-opacity': 0 } });
  map.addLayer({ id: 'plan-line', type: 'line', source: 'plan', paint: { 'line-color': PLAN_COLOUR, 'line-width': 1.5, 'line-dasharray': [3, 1] } });
  map.addLayer({ id: 'plan-commented', type: 'line', source: 'plan', filter: ['get', 'commented'], paint: { 'line-color': COMMENT_COLOUR, 'line-width': 3 } });
  map.addLayer({ id: 'plan-checked', type: 'line', source: 'plan', filter: ['get', 'checked'], paint: { 'line-color': '#1c7ed6', 'line-width': 3.5 } });
  map.addLayer({ id: 'draft-fill', type: 'fill', source: 'draft', paint: { 'fill-antialias': false, 'fill-color': DRAFT_COLOUR, 'fill-opacity': 0.3 } });
  map.addLayer({ id: 'draft-line', type: 'line', source: 'draft', paint: { 'line-color': DRAFT_COLOUR, 'line-width': 2 } });
  map.addLayer({
    id: 'draft-selected',
    type: 'line',
    source: 'draft',
    filter: ['get', 'selected'],
    paint: { 'line-color': '#1c7ed6', 'line-width': 3.5 },
  });
  map.addLayer({ id: 'grid-highlight', type: 'line', source: 'grids', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#1c7ed6', 'line-width': 3 } });
  map.addLayer({ id: 'finding-fill', type: 'fill', source: 'findings', paint: { 'fill-antialias': false, 'fill-color': '#ff0000', 'fill-opacity': 0.35 } });
  map.addLayer({ id: 'finding-line', type: 'line', source: 'findings', paint: { 'line-color': '#c92a2a', 'line-width': 3 } });
  map.addLayer({ id: 'finding-point', type: 'circle', source: 'findings', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': '#c92a2a', 'circle-radius': 6 } });
  map.addLayer({
    id: 'vessel-circle',
    type: 'circle',
    source: 'vessels',
    paint: { 'circle-color': ['get', 'colour'], 'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3.5, 14, 7], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.2 },
  });
  map.addLayer({
    id: 'alert-ring',
    type: 'circle',
    source: 'alerts',
    paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 8, 14, 14], 'circle-stroke-color': ALERT_COLOUR, 'circle-stroke-width': 2.5 },
  });
  map.addLayer({
    id: 'vessel-label',
    type: 'symbol',
    source: 'vessels',
    minzoom: 10,
    layout: {
      'text-field': ['format', ['get', 'name'], {}, '\n', {}, ['get', 'formation'], { 'font-scale': 0.85 }],
      'text-size': 11,
      'text-font': ['Noto Sans CJK SC Regular'],
      'text-anchor': 'left',
      'text-offset': [0.8, 0],
    },
    paint: { 'text-color': ['get', 'colour'], 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
  });
  map.addLayer({
    id: 'grid-label',
    type: 'symbol',
    source: 'grids',
    minzoom: 12,
    filter: ['!', ['get', 'micro']],
    layout: { 'text-field': ['get', 'label'], 'text-size': 11, 'text-font': ['Noto Sans CJK SC Regular'], 'text-max-width': 12 },
    paint: { 'text-color': '#263238', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
  });
  // Above the grid names: a review comment's number must not hide under the label of its grid.
  map.addLayer({
    id: 'comment-marker',
    type: 'circle',
    source: 'comments',
    paint: { 'circle-color': COMMENT_COLOUR, 'circle-radius': 10, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
  });
  map.addLayer({
    id: 'comment-label',
    type: 'symbol',
    source: 'comments',
    layout: { 'text-field': ['get', 'number'], 'text-size': 11, 'text-font': ['Noto Sans CJK SC Regular'], 'text-allow-overlap': true, 'text-ignore-placement': true },
    paint: { 'text-color': '#ffffff' },
  });
}

export function highlightGrid(map: MapLibreMap, code: string | null): void {
  map.setFilter('grid-highlight', ['==', ['get', 'code'], code ?? '']);
}

export function setSourceData(map: MapLibreMap, id: SourceId, data: FeatureCollection): void {
  map.getSource<GeoJSONSource>(id)?.setData(data);
}

/** Changes some features of a source whose features all have ids: MapLibre re-cuts only the tiles they touch. */
export function updateSourceData(map: MapLibreMap, id: SourceId, diff: GeoJSONSourceDiff): void {
  map.getSource<GeoJSONSource>(id)?.updateData(diff);
}

export function setGroupVisible(map: MapLibreMap, group: LayerGroup, visible: boolean): void {
  for (const layer of LAYER_GROUPS[group]) map.setLayoutProperty(layer, 'visibility', visible ? 'visible' : 'none');
}

/** Layers whose features a click on the map opens as a grid card. */
export const CLICKABLE_GRID_LAYERS = ['grid-fill', 'special-fill', 'sea-fill'];
