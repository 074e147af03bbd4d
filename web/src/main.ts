// The editor: loads the product's own data onto the map, mounts the panels and wires the draft editor to validation.
import { bbox, booleanPointInPolygon, centroid } from '@turf/turf';
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { apiKey, draftingScope, keyedRequest, setApiKey } from './api/auth.ts';
import { api, type Division, type DivisionCollection, type Finding, type GridCollection, type GridFeature, type GridHistory } from './api/client.ts';
import { DraftEditor, type Tool } from './edit/draw.ts';
import { DraftKeeper } from './edit/keeper.ts';
import { DraftStore, type StoredDraft } from './edit/persist.ts';
import { boundaryRequest, registryRequest } from './first-data.ts';
import { VertexIndex } from './edit/snapping.ts';
import { DraftValidator } from './edit/validator.ts';
import { emptyDraft, type DraftProperties, type EditError, type EditorState } from './edit/state.ts';
import { language, onLanguageChange, setLanguage, t, translateDom } from './i18n/index.ts';
import { externalBasemap, externalBasemapUrl, ownStyle } from './map/basemap.ts';
import { gridMapData, islandCoverage } from './map/data.ts';
import { densityPoints } from './map/density.ts';
import { CLICKABLE_GRID_LAYERS, addProductLayers, highlightGrid, setSourceData } from './map/layers.ts';
import { PlanSession } from './plan/session.ts';
import { FleetSession } from './sea/fleet.ts';
import { SeaWatch } from './sea/watch.ts';
import { SuggestSession } from './suggest/session.ts';
import { renderEditPanel } from './ui/edit-panel.ts';
import { renderGridCard } from './ui/grid-card.ts';
import { renderRoleSwitcher } from './ui/role-switcher.ts';
import { mountLayerSwitcher, renderLegend } from './ui/layers-panel.ts';
import { mountSearch, searchIndex, type SearchEntry } from './ui/search.ts';
import { mountShortcuts, type ShortcutAction } from './ui/shortcuts.ts';
import { renderValidation, type ValidationView } from './ui/validation-panel.ts';

type Areal = Polygon | MultiPolygon;
const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const ZHOUSHAN_CENTRE: [number, number] = [122.2, 30.1];
const FIT = { padding: 40, maxZoom: 16, duration: 0 };

// MapLibre looks for its worker beside its own module; the bundle moves both, so say where the worker went.
maplibregl.setWorkerUrl(workerUrl);
const basemapUrl = externalBasemapUrl(location.search);
const map = new maplibregl.Map({
  container: 'map',
  style: ownStyle(),
  center: ZHOUSHAN_CENTRE,
  zoom: 8.5,
  localIdeographFontFamily: "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
  attributionControl: false,
  // Labels appear at once: a fade is a run of extra frames, dear where WebGL is drawn in software.
  fadeDuration: 0,
  // Read at each request, so tiles fetched after a role switch carry the new key.
  transformRequest: (url) => keyedRequest(url, apiKey(), location.origin),
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');

const data = {
  grids: [] as GridFeature[],
  gridsByCode: new Map<string, GridFeature>(),
  divisions: [] as Division[],
  divisionGeometry: new Map<string, Areal>(),
  filedVertices: null as VertexIndex | null,
  islandCount: 0,
};
const ui = {
  tool: 'select' as Tool,
  error: undefined as EditError | undefined,
  township: null as string | null,
  validation: { status: 'idle' } as ValidationView,
  /** Whether the findings layer outlines a finding the planner clicked. */
  findingShown: false,
  cardCode: null as string | null,
  history: null as GridHistory | null,
  status: t('loading') as string,
};
let editor: DraftEditor | null = null;
/**
 * The draft layer's redraw after a vertex drag, held until the validation panel has painted its result: where WebGL is
 * drawn in software each map redraw takes 100–160 ms, and the panel's repaint would wait for the frames it starts.
 */
let heldRedraw: (() => void) | null = null;
let layerSwitcher: { render(): void } | null = null;
let densityLoaded = false;

const plan = new PlanSession(
  {
    map,
    panel: element('plan-panel'),
    editor: () => editor,
    township: () => ui.township,
    chooseTownship,
    divisionName,
    fitTo,
    registryChanged: async () => showRegistry(await api.grids()),
    planChanged: () => keeper.schedule(),
  },
  apiKey(),
);
const keeper = new DraftKeeper(new DraftStore(localStorage), apiKey(), {
  state: () => editor?.state ?? null,
  context: () => ({ township: ui.township, planId: plan.planId }),
  written: () => renderEditing(),
});
const suggestion = new SuggestSession({
  map,
  panel: element('suggest-panel'),
  editor: () => editor,
  divisions: () => data.divisions,
  township: () => ui.township,
  accepted: (township, error) => {
    ui.error = error;
    if (!ui.township && township) ui.township = township;
    renderEditing();
  },
  fitTo,
});
const validator = new DraftValidator({
  features: () => editor?.state.features ?? [],
  township: () => ui.township,
  scope: () => plan.view.plan?.value.scope ?? draftingScope(plan.view.key) ?? 'land',
  townshipGeometry: (code) => data.divisionGeometry.get(code) ?? null,
  show: (view) => {
    ui.validation = view;
    renderFindings();
    showFinding(null);
    if (view.status !== 'running') afterPaint(redrawHeld);
  },
});
const sea = new SeaWatch(map, element('alerts-panel'), () => {
  renderLegend(element('legend-panel'), sea.formations);
  fleet.render();
});
const fleet = new FleetSession({ panel: element('fleet-panel'), sea, key: () => plan.view.key, grids: () => data.grids });

function divisionName(code: string): string {
  return data.divisions.find((d) => d.code === code)?.name ?? '';
}

function fitTo(geometry: Geometry): void {
  const [minX, minY, maxX, maxY] = bbox(geometry);
  map.fitBounds([minX, minY, maxX, maxY], FIT);
}

function draftPropertiesOf(grid: GridFeature): Partial<DraftProperties> {
  const { code, name, kind, subkind, divisionCode, households, staff, managingUnits } = grid.properties;
  return { code, name, kind, subkind, divisionCode, households, staff, managingUnits };
}

function showCard(code: string | null): void {
  if (code !== ui.cardCode) {
    ui.history = null;
    if (code) void loadHistory(code);
  }
  ui.cardCode = code;
  highlightGrid(map, code);
  const card = element('grid-card');
  const grid = code ? data.gridsByCode.get(code) : undefined;
  if (!grid) {
    card.hidden = true;
    return;
  }
  renderGridCard(card, grid, divisionName(grid.properties.divisionCode), ui.history?.code === code ? ui.history : null, {
    close: () => showCard(null),
    copyToDraft: () => {
      const p = grid.properties;
      if (!ui.township) ui.township = `${p.divisionCode.slice(0, 9)}000`;
      editor?.dispatch({ type: 'add', geometry: grid.geometry, properties: draftPropertiesOf(grid) });
    },
  });
}

async function loadHistory(code: string): Promise<void> {
  const history = await api.gridHistory(code).catch(() => null);
  if (ui.cardCode !== code) return;
  ui.history = history;
  showCard(code);
}

function renderEditing(): void {
  if (!editor) return;
  const townships = data.divisions.filter((d) => d.level === 'township');
  const view = { state: editor.state, tool: ui.tool, error: ui.error, townships, township: ui.township, restored: keeper.restored, kept: keeper.outcome };
  renderEditPanel(element('edit-panel'), view, {
    run,
    chooseTownship,
    describe: (id, properties) => void editor?.dispatch({ type: 'describe', id, properties }),
    discardRestored: () => {
      keeper.discard();
      editor?.replace(emptyDraft());
    },
    keepRestored: () => {
      keeper.dismiss();
      renderEditing();
    },
    loadFiled: () => {
      const prefix = ui.township?.slice(0, 9);
      const grids = data.grids.filter((g) => prefix && g.properties.divisionCode.startsWith(prefix));
      ui.error = editor?.dispatch({ type: 'load', grids: grids.map((g) => ({ geometry: g.geometry, properties: draftPropertiesOf(g) })) });
      renderEditing();
    },
  });
}

function chooseTownship(code: string): void {
  if ((code || null) === ui.township) return;
  ui.township = code || null;
  keeper.schedule();
  renderEditing();
  plan.render();
  void plan.loadList();
  suggestion.render();
  validator.request();
}

function renderFindings(): void {
  renderValidation(element('validation-panel'), ui.validation, (finding: Finding) => {
    const geometry = finding.geometry as Geometry;
    showFinding(geometry);
    fitTo(geometry);
  });
}

function redrawHeld(): void {
  const redraw = heldRedraw;
  heldRedraw = null;
  redraw?.();
}

/** Runs `task` once the next frame has been painted. */
function afterPaint(task: () => void): void {
  requestAnimationFrame(() => setTimeout(task, 0));
}

/**
 * Outlines the finding the planner zoomed to, or none. Emptying an already empty layer is skipped: a source change
 * costs two map redraws (one at once, one when its tiles are back), which after every validation result would hold
 * back the panel's own repaint.
 */
function showFinding(geometry: Geometry | null): void {
  if (!geometry && !ui.findingShown) return;
  ui.findingShown = geometry !== null;
  setSourceData(map, 'findings', { type: 'FeatureCollection', features: geometry ? [{ type: 'Feature', geometry, properties: {} }] : [] });
}

function renderAll(): void {
  translateDom(document);
  document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
  element('status').textContent = ui.status;
  layerSwitcher?.render();
  renderLegend(element('legend-panel'), sea.formations);
  renderEditing();
  plan.render();
  sea.render();
  fleet.render();
  suggestion.render();
  renderFindings();
  showCard(ui.cardCode);
  renderRoleSwitcher(element<HTMLSelectElement>('role-switch'), plan.view.key, (key) => void chooseRole(key));
}

async function chooseRole(key: string | null): Promise<void> {
  setApiKey(key);
  const kept = keeper.setKey(key);
  await Promise.all([plan.setKey(key), sea.setKey(key, data.grids)]);
  restoreDraft(kept);
}

/** Puts back a draft kept in the browser, with its township and plan; the edit panel says so and offers to discard it. */
function restoreDraft(kept: StoredDraft | null): void {
  if (!kept || !editor) return;
  editor.replace(kept.state);
  if (kept.township) chooseTownship(kept.township);
  if (kept.planId && plan.planId !== kept.planId) void plan.open(kept.planId);
  renderEditing();
}

// --- editing actions, from the toolbar and the keyboard ---
function run(action: ShortcutAction): void {
  if (!editor) return;
  ui.error = undefined;
  switch (action) {
    case 'draw':
    case 'select':
    case 'split':
      ui.error = editor.setTool(action);
      break;
    case 'merge':
      ui.error = editor.dispatch({ type: 'merge', ids: editor.state.selection });
      break;
    case 'delete':
      ui.error = editor.deleteSelection();
      break;
    case 'undo':
    case 'redo':
      editor.dispatch({ type: action });
      break;
    case 'cancel':
      editor.setTool('select');
      if (ui.tool === 'select') editor.dispatch({ type: 'select', ids: [] });
      showCard(null);
      break;
  }
  renderEditing();
}

function townshipAt(feature: Feature<Areal>): string | null {
  const point = centroid(feature);
  for (const d of data.divisions) {
    const geometry = data.divisionGeometry.get(d.code);
    if (d.level === 'township' && geometry && booleanPointInPolygon(point, geometry)) return d.code;
  }
  return null;
}

function startEditor(): DraftEditor {
  let lastFeatures: EditorState['features'] | null = null;
  return new DraftEditor(map, {
    nameDraft: (n) => t('draft.name', { n }),
    // In a sea plan (or for the maritime authority, who drafts only those) a drawn grid is a sea zone to start with.
    drawnGrid: () => ((plan.view.plan?.value.scope ?? draftingScope(plan.view.key)) === 'maritime' ? { kind: 'maritime', subkind: 'aquaculture' } : {}),
    filedVertices: () => data.filedVertices,
    draftVertices: (state, except) => new VertexIndex(state.features.filter((f) => f.id !== except).map((f) => f.geometry)),
    onChange: (state, error) => {
      ui.error = error;
      if (!ui.township && state.features[0]) ui.township = townshipAt(state.features[0]);
      renderEditing();
      plan.render();
      suggestion.render();
      if (state.features !== lastFeatures) {
        lastFeatures = state.features;
        validator.request();
      }
      keeper.schedule();
    },
    reshaped: (redraw) => (heldRedraw = redraw),
    onToolChange: (tool) => {
      ui.tool = tool;
      renderEditing();
    },
  });
}

function keepDivisionGeometry(divisions: DivisionCollection): DivisionCollection {
  for (const f of divisions.features) data.divisionGeometry.set(f.properties.code, f.geometry);
  return divisions;
}

/** The heatmap's cells are fetched the first time it is turned on, not at start. */
async function showDensity(): Promise<void> {
  if (densityLoaded) return;
  densityLoaded = true;
  setSourceData(map, 'density', densityPoints(await api.householdDensity()));
}

/** Draws the filed grids: at start, and again after a filing changed the registry. */
function showRegistry(grids: GridCollection): void {
  data.grids = grids.features;
  data.gridsByCode = new Map(grids.features.flatMap((g: GridFeature) => (g.properties.code ? [[g.properties.code, g] as const] : [])));
  data.filedVertices = new VertexIndex(grids.features.map((g) => g.geometry));
  setSourceData(map, 'grids', gridMapData(grids.features));
}

async function load(): Promise<void> {
  if (basemapUrl) {
    const external = await externalBasemap(basemapUrl);
    for (const [id, source] of Object.entries(external.sources)) map.addSource(id, source);
    for (const layer of external.layers) map.addLayer(layer);
    ui.status = t('basemapOn', { url: basemapUrl });
  }
  addProductLayers(map, location.origin);
  const [[grids, islands, divisions], [counties, townships]] = await Promise.all([registryRequest, boundaryRequest]);
  data.divisions = divisions;
  data.islandCount = islands.features.length;
  // Framed first, then every source set in one go: the worker cuts each source's tiles once, at the final zoom, and
  // the map draws one round of tiles instead of one per source as each request lands (frames are dear in software GL).
  if (grids.features.length) fitTo({ type: 'GeometryCollection', geometries: grids.features.map((g) => g.geometry) });
  showRegistry(grids);
  setSourceData(map, 'land', islandCoverage(islands, grids.features));
  setSourceData(map, 'counties', keepDivisionGeometry(counties));
  setSourceData(map, 'townships', keepDivisionGeometry(townships));
  document.body.dataset.divisions = 'true';
  ui.status = basemapUrl ? ui.status : t('status', { grids: grids.numberMatched, islands: islands.features.length });

  layerSwitcher = mountLayerSwitcher(element('layers-panel'), map, basemapUrl !== null, (group, visible) => {
    if (group === 'density' && visible) void showDensity();
  });
  editor = startEditor();
  (window as unknown as { __wangge: object }).__wangge = { map, editor, data };
  renderAll();
  restoreDraft(keeper.take());
  mountSearch(
    element<HTMLInputElement>('search-input'),
    element('search-results'),
    () => searchIndex(data.grids, data.divisions),
    (entry: SearchEntry) => void pick(entry),
    () => t('searchNone'),
  );
  await drawn();
  performance.mark('wangge-ready');
  document.body.dataset.ready = 'true';
  // Vessels, alerts and the plan list come after the city is on screen; `data-sea` says they are there.
  await Promise.all([sea.setKey(plan.view.key, grids.features), plan.loadList()]);
  document.body.dataset.sea = 'true';
}

/**
 * Resolves once everything set on the map is drawn; `data-ready` then tells tests and scripts so, and the
 * `wangge-ready` mark says when (ms since navigation). Polled because an `idle` can pass before a listener exists.
 */
function drawn(): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (map.loaded() && map.areTilesLoaded() ? resolve() : void setTimeout(check, 50));
    requestAnimationFrame(check);
  });
}

async function pick(entry: SearchEntry): Promise<void> {
  if (entry.type === 'grid') {
    const grid = data.gridsByCode.get(entry.code);
    if (grid) fitTo(grid.geometry);
    showCard(entry.code);
    return;
  }
  const geometry = data.divisionGeometry.get(entry.code) ?? (await api.division(entry.code)).geometry;
  if (geometry) fitTo(geometry);
}

map.on('click', (event) => {
  if (ui.tool !== 'select' || editor?.handlingClosingClick) return;
  if (map.queryRenderedFeatures(event.point, { layers: ['draft-fill'] }).length) return;
  if (plan.reviewing) {
    const planGrid = map.queryRenderedFeatures(event.point, { layers: ['plan-fill'] })[0];
    if (planGrid) return plan.commentOn(String(planGrid.properties.id));
  }
  const hit = map.queryRenderedFeatures(event.point, { layers: CLICKABLE_GRID_LAYERS })[0];
  showCard(hit ? String(hit.properties.code) : null);
});
for (const layer of CLICKABLE_GRID_LAYERS) {
  map.on('mouseenter', layer, () => ui.tool === 'select' && (map.getCanvas().style.cursor = 'pointer'));
  map.on('mouseleave', layer, () => ui.tool === 'select' && (map.getCanvas().style.cursor = ''));
}

element('language-switch').addEventListener('click', () => setLanguage(language() === 'zh' ? 'en' : 'zh'));
onLanguageChange(() => {
  if (data.grids.length) ui.status = basemapUrl ? t('basemapOn', { url: basemapUrl }) : t('status', { grids: data.grids.length, islands: data.islandCount });
  renderAll();
});
mountShortcuts(run);
// The last edits of a closing or reloading page are written before it goes.
addEventListener('pagehide', () => keeper.flush());
translateDom(document);
element('status').textContent = ui.status;

map.on('load', () => {
  load().catch((error: unknown) => {
    ui.status = t('loadFailed', { detail: error instanceof Error ? error.message : String(error) });
    element('status').textContent = ui.status;
    document.body.dataset.ready = 'error';
  });
});
