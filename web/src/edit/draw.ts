// Connects the draft state to the map: terra-draw captures drawing, split lines and vertex drags; every change goes
// through applyEdit, and the map layers are redrawn from the state, so undo/redo and the panels see one truth.
import type { Feature, LineString, Polygon } from 'geojson';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { setSourceData, updateSourceData } from '../map/layers.ts';
import { DraftLayer } from './draft-layer.ts';
import type { Project, VertexIndex } from './snapping.ts';
import { applyEdit, emptyDraft, type DraftProperties, type Edit, type EditError, type EditorState, type NameDraft } from './state.ts';

export type Tool = 'select' | 'draw' | 'split';

export interface DraftEditorOptions {
  nameDraft: NameDraft;
  /** What a newly drawn grid is until the planner says otherwise (a sea grid in a maritime plan). */
  drawnGrid: () => Partial<DraftProperties>;
  /** Vertices to snap to, other than the draft's own (the filed grids on the map). */
  filedVertices: () => VertexIndex | null;
  draftVertices: (state: EditorState, except: string | null) => VertexIndex;
  onChange: (state: EditorState, error?: EditError) => void;
  /**
   * After a vertex drag: terra-draw already draws the grid's new outline, so redrawing the draft layer under it can
   * wait, and the host says when (`redraw`), e.g. once the validation panel has painted the result.
   */
  reshaped: (redraw: () => void) => void;
  onToolChange: (tool: Tool) => void;
}

const SNAP_PX = 10;
let terraDrawSerial = 0;

export class DraftEditor {
  state: EditorState = emptyDraft();
  tool: Tool = 'select';
  private readonly draw: TerraDraw;
  private reshaping: string | null = null;
  /** The click that closes a drawing reaches the map after terra-draw; it must not also count as a selection click. */
  private closingClick = false;
  private draftIndex: VertexIndex;
  /** Set while a line is drawn for someone else (a plan grid's split): the finished line goes there, not to the draft. */
  private lineCapture: ((line: LineString | null) => void) | null = null;
  private readonly layer = new DraftLayer();

  constructor(
    private readonly map: MapLibreMap,
    private readonly options: DraftEditorOptions,
  ) {
    this.draftIndex = options.draftVertices(this.state, null);
    // terra-draw's own .d.ts files do not resolve under NodeNext, so its callback types are restated at this edge.
    const snap = (event: { lng: number; lat: number }, context: { project: Project }) => {
      const pointer = [event.lng, event.lat];
      return this.draftIndex.snap(pointer, SNAP_PX, context.project) ?? options.filedVertices()?.snap(pointer, SNAP_PX, context.project);
    };
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map }),
      idStrategy: { isValidId: (id: unknown) => typeof id === 'string' && id.length > 0, getId: () => `td${++terraDrawSerial}` },
      modes: [
        new TerraDrawPolygonMode({ snapping: { toCustom: snap } }),
        new TerraDrawLineStringMode({ snapping: { toCustom: snap } }),
        new TerraDrawSelectMode({
          keyEvents: null, // Delete and Escape belong to the editor's shortcuts, which act on the state
          flags: {
            polygon: {
              feature: {
                draggable: false,
                // A crossing drag is allowed and then reported as a finding; blocking it would be a silent fix.
                selfIntersectable: true,
                coordinates: { draggable: true, midpoints: true, deletable: true, snappable: { toCustom: snap } },
              },
            },
          },
        }),
      ],
    });
    this.draw.start();
    this.draw.setMode('select');
    this.draw.on('finish', (id: string | number, context: { mode: string }) => this.finished(String(id), context.mode));
    map.on('mousedown', () => (this.closingClick = false));
    map.on('click', (event) => this.clicked(event));
    this.render();
  }

  /** True while the click that closed a drawing is still on its way to the map's click listeners. */
  get handlingClosingClick(): boolean {
    return this.closingClick;
  }

  dispatch(edit: Edit, { redrawLater = false } = {}): EditError | undefined {
    const { state, error } = applyEdit(this.state, edit, this.options.nameDraft);
    this.state = state;
    // Drawing is idempotent: a redraw done by a later edit first leaves the held one nothing to do.
    if (redrawLater) this.options.reshaped(() => this.render());
    else this.render();
    this.options.onChange(state, error);
    return error;
  }

  /** Puts a whole draft in place: one kept from before a reload, or an empty one when that is discarded. */
  replace(state: EditorState): void {
    this.cancelCapture();
    this.state = state;
    this.render();
    this.options.onChange(state);
  }

  setTool(tool: Tool): EditError | undefined {
    this.cancelCapture();
    if (tool === 'split' && this.state.selection.length !== 1) {
      this.options.onChange(this.state, 'select-one');
      return 'select-one';
    }
    this.tool = tool;
    this.draw.setMode({ select: 'select', draw: 'polygon', split: 'linestring' }[tool]);
    this.syncReshape();
    this.options.onToolChange(tool);
    return undefined;
  }

  /** Lets the planner draw one line on the map and hands it over; null when another tool is chosen first (Esc). */
  captureLine(): Promise<LineString | null> {
    this.cancelCapture();
    this.tool = 'split';
    this.draw.setMode('linestring');
    this.syncReshape();
    this.options.onToolChange('split');
    return new Promise((resolve) => (this.lineCapture = resolve));
  }

  private cancelCapture(): void {
    const capture = this.lineCapture;
    this.lineCapture = null;
    capture?.(null);
  }

  deleteSelection(): EditError | undefined {
    return this.dispatch({ type: 'remove', ids: this.state.selection });
  }

  private finished(id: string, mode: string): void {
    const feature = this.draw.getSnapshotFeature(id);
    if (!feature) return;
    if (mode === 'polygon' || mode === 'linestring') {
      this.closingClick = true;
      this.draw.removeFeatures([id]);
      if (mode === 'linestring' && this.lineCapture) {
        const capture = this.lineCapture;
        this.lineCapture = null;
        this.setTool('select');
        capture(feature.geometry as LineString);
        return;
      }
      const edit: Edit =
        mode === 'polygon'
          ? { type: 'add', geometry: feature.geometry as Polygon, properties: this.options.drawnGrid() }
          : { type: 'split', id: this.state.selection[0], line: feature.geometry as LineString };
      this.dispatch(edit);
      this.setTool('select');
    } else if (mode === 'select' && id === this.reshaping) {
      this.dispatch({ type: 'reshape', id, geometry: feature.geometry as Polygon }, { redrawLater: true });
    }
  }

  private clicked(event: MapMouseEvent): void {
    if (this.closingClick) {
      this.closingClick = false;
      return;
    }
    if (this.tool !== 'select' || !this.map.getLayer('draft-fill')) return;
    const hit = this.map.queryRenderedFeatures(event.point, { layers: ['draft-fill'] })[0];
    const id = hit ? String(hit.properties.id) : null;
    const additive = event.originalEvent.shiftKey;
    const selection = id === null ? (additive ? this.state.selection : []) : additive ? toggle(this.state.selection, id) : [id];
    if (sameMembers(selection, this.state.selection)) return;
    this.dispatch({ type: 'select', ids: selection });
  }

  /** Redraws the draft layer and puts the one selected polygon into terra-draw for vertex editing. */
  private render(): void {
    const update = this.layer.update(this.state);
    if (update && 'data' in update) setSourceData(this.map, 'draft', update.data);
    else if (update) updateSourceData(this.map, 'draft', update.diff);
    this.syncReshape();
  }

  private syncReshape(): void {
    const [only] = this.state.selection;
    const target = this.tool === 'select' && this.state.selection.length === 1 ? this.state.features.find((f) => f.id === only) : undefined;
    const wanted = target?.geometry.type === 'Polygon' ? (target as Feature<Polygon> & { id: string }) : null;
    this.draftIndex = this.options.draftVertices(this.state, wanted?.id ?? null);
    const current = this.reshaping ? this.draw.getSnapshotFeature(this.reshaping) : undefined;
    if (wanted && current && wanted.id === this.reshaping && JSON.stringify(current.geometry) === JSON.stringify(wanted.geometry)) return;
    if (this.reshaping && this.draw.hasFeature(this.reshaping)) this.draw.removeFeatures([this.reshaping]);
    this.reshaping = null;
    if (!wanted) return;
    const feature: GeoJSONStoreFeatures = { type: 'Feature', id: wanted.id, geometry: wanted.geometry, properties: { mode: 'polygon' } };
    const [validation] = this.draw.addFeatures([feature]);
    if (!validation?.valid) return;
    this.reshaping = wanted.id;
    if (this.draw.getMode() === 'select') this.draw.selectFeature(wanted.id);
  }
}

function toggle(ids: string[], id: string): string[] {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
}

function sameMembers(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
