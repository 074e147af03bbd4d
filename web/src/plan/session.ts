// The plan open in the editor and every write to it. Each write sends the ETag of the last read; a 412 reloads the
// plan and keeps the refused edit so the planner can send it again against the new version instead of redoing it.
// A reviewer comments on single grids before returning the plan; the planner finds those comments on the map.
import type { Geometry, LineString } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { draftingScope, mayTake } from '../api/auth.ts';
import { ApiError, api, type FilingReceipt, type PlanGrid, type PlanGridBody, type PlanTransition, type PlanView, type Versioned } from '../api/client.ts';
import type { DraftEditor } from '../edit/draw.ts';
import type { DraftProperties } from '../edit/state.ts';
import { t } from '../i18n/index.ts';
import { setSourceData } from '../map/layers.ts';
import { renderPlanPanel, type PlanPanelView } from '../ui/plan-panel.ts';
import { commentMarkers, commentRows, commentedGridIds, returnComments } from './comments.ts';
import { planListing } from './listing.ts';

export interface PlanHost {
  map: MapLibreMap;
  panel: HTMLElement;
  editor(): DraftEditor | null;
  township(): string | null;
  chooseTownship(code: string): void;
  divisionName(code: string): string;
  fitTo(geometry: Geometry): void;
  /** A filing changed the registry: redraw the filed grids. */
  registryChanged(): Promise<void>;
  /** A plan was opened or closed (the unsaved draft remembers which). */
  planChanged(): void;
}

type Work = () => Promise<Versioned<PlanView>>;

const detail = (error: unknown) => (error instanceof Error ? error.message : String(error));
const failure = (error: unknown): PlanPanelView['message'] => ({ kind: 'error', text: t('plan.failed', { detail: detail(error) }) });

/** A plan grid as the body of a write: what was read, minus what the server keeps itself. */
export function planGridBody(grid: PlanGrid, geometry: PlanGrid['geometry'] = grid.geometry): PlanGridBody {
  const { code, name, kind, subkind, divisionCode, parentCode, households, population, managingUnits, staff } = grid.properties;
  return { type: 'Feature', properties: { code, name, kind, subkind, divisionCode, parentCode, households, population, managingUnits, staff }, geometry };
}

export class PlanSession {
  readonly view: PlanPanelView;
  private refused: Work | null = null;

  constructor(
    private readonly host: PlanHost,
    key: string | null,
  ) {
    this.view = {
      key,
      township: null,
      plan: null,
      grids: [],
      checked: new Set(),
      draftCount: 0,
      diffShown: false,
      justifications: new Map(),
      comment: { text: '' },
      gridComments: new Map(),
      message: null,
      busy: false,
      list: null,
      reapplicable: false,
      drawingSplit: false,
    };
  }

  render(): void {
    const view = this.view;
    view.township = this.host.township();
    view.draftCount = this.host.editor()?.state.features.length ?? 0;
    renderPlanPanel(
      this.host.panel,
      view,
      {
        create: () =>
          void this.step(() => api.createPlan({ townshipCode: this.host.township()!, scope: draftingScope(view.key) ?? 'land', trigger: 'scale_change', start: 'filed' })),
        open: (id) => void this.open(id),
        refreshList: () => void this.loadList(),
        toggle: (gridId) => {
          if (!view.checked.delete(gridId)) view.checked.add(gridId);
          this.showGrids();
          this.render();
        },
        reshape: () => this.reshape(),
        split: () => void this.split(),
        reapply: () => this.refused && void this.step(this.refused),
        merge: () => {
          const ids = [...view.checked];
          void this.step(() => api.mergePlanGrids(this.current().value.id, this.current().etag, ids));
        },
        remove: () => {
          const ids = [...view.checked];
          void this.step(async () => {
            let latest = this.current();
            for (const gridId of ids) latest = await api.deletePlanGrid(latest.value.id, latest.etag, gridId);
            return latest;
          });
        },
        addDraft: () => void this.step(() => this.saveDraft()),
        toggleDiff: () => {
          view.diffShown = !view.diffShown;
          void this.showDiff();
          this.render();
        },
        transition: (step) => void this.transition(step),
        close: () => this.close(),
        commentOn: (gridId) => this.commentOn(gridId),
        uncomment: (gridId) => {
          view.gridComments.delete(gridId);
          this.render();
        },
        focusGrid: (gridId) => this.focusGrid(gridId),
      },
      (code) => this.host.divisionName(code),
    );
  }

  /** A role change: the list shows what this role may open; the open plan is read again with the new key. */
  async setKey(key: string | null): Promise<void> {
    this.view.key = key;
    this.view.message = null;
    this.view.reapplicable = false;
    const id = this.view.plan?.value.id;
    if (id) await this.reload(id).catch((error: unknown) => (this.view.message = failure(error)));
    await this.loadList();
  }

  async loadList(): Promise<void> {
    const key = this.view.key;
    if (!key) {
      this.view.list = null;
      this.render();
      return;
    }
    try {
      const plans = await api.plans();
      if (this.view.key === key) this.view.list = planListing(plans, key, this.host.township());
    } catch (error) {
      this.view.list = [];
      this.view.message = failure(error);
    }
    this.render();
  }

  /** The plan open now, if any. */
  get planId(): string | null {
    return this.view.plan?.value.id ?? null;
  }

  /** A reviewer may return the open plan, so a click on one of its grids starts a comment on it. */
  get reviewing(): boolean {
    const plan = this.view.plan?.value;
    return plan !== undefined && plan.allowedTransitions.includes('return') && mayTake(this.view.key, 'return');
  }

  /** The reviewer picked a grid (on the map or in the list): it gets a comment box, the one typed into next. */
  commentOn(gridId: string): void {
    if (!this.reviewing || !this.view.grids.some((g) => g.id === gridId)) return;
    if (!this.view.gridComments.has(gridId)) this.view.gridComments.set(gridId, '');
    this.render();
    this.host.panel.querySelector<HTMLTextAreaElement>(`textarea[data-comment-grid="${gridId}"]`)?.focus();
  }

  /** Opens a plan someone else may have made: its township becomes the draft's, and the map shows its grids. */
  async open(id: string): Promise<void> {
    await this.step(() => api.plan(id));
    const plan = this.view.plan?.value;
    if (!plan || plan.id !== id) return;
    this.host.chooseTownship(plan.townshipCode);
    if (this.view.grids.length) this.host.fitTo({ type: 'GeometryCollection', geometries: this.view.grids.map((g) => g.geometry) });
  }

  private close(): void {
    const view = this.view;
    view.plan = null;
    view.grids = [];
    view.checked.clear();
    view.diffShown = false;
    view.message = null;
    view.reapplicable = false;
    view.gridComments.clear();
    this.showGrids();
    void this.showDiff();
    void this.loadList();
    this.host.planChanged();
  }

  private focusGrid(gridId: string): void {
    const grid = this.view.grids.find((g) => g.id === gridId);
    if (!grid) return;
    this.view.checked.clear();
    this.view.checked.add(gridId);
    this.showGrids();
    this.host.fitTo(grid.geometry);
    this.render();
  }

  /** The plan as last read; plan actions are offered only while one is open. */
  private current(): Versioned<PlanView> {
    if (!this.view.plan) throw new Error('no plan open');
    return this.view.plan;
  }

  /** Runs one write (or the opening read), then reloads the plan's grids; a 412 reloads and offers to send the write again. */
  /** Runs `work`, reloads the plan and shows `done` (a function: a message that depends on the answer). */
  private async step(work: Work, done?: string | (() => string)): Promise<void> {
    const view = this.view;
    view.busy = true;
    view.message = null;
    view.reapplicable = false;
    this.refused = null;
    this.render();
    try {
      const opened = view.plan?.value.id;
      view.plan = await work();
      if (view.plan.value.id !== opened) {
        view.gridComments.clear();
        this.host.planChanged();
      }
      await this.reload(view.plan.value.id);
      const text = typeof done === 'function' ? done() : done;
      if (text) view.message = { kind: 'info', text };
    } catch (error) {
      const stale = error instanceof ApiError && error.status === 412;
      view.message = stale ? { kind: 'error', text: t('plan.stale') } : failure(error);
      if (stale && view.plan) {
        this.refused = work;
        view.reapplicable = true;
        await this.reload(view.plan.value.id).catch((reload: unknown) => (view.message = failure(reload)));
      }
    } finally {
      view.busy = false;
      this.render();
    }
  }

  private async reload(id: string): Promise<void> {
    const [latest, grids] = await Promise.all([api.plan(id), api.planGrids(id)]);
    this.view.plan = latest;
    this.view.grids = grids;
    for (const gridId of this.view.checked) if (!grids.some((g) => g.id === gridId)) this.view.checked.delete(gridId);
    this.showGrids();
    await this.showDiff();
  }

  /** The plan's grids, checked ones and those the latest review commented on marked, with a numbered marker per comment. */
  private showGrids(): void {
    const { grids, checked } = this.view;
    const rows = commentRows(this.view.plan?.value.comments ?? [], grids);
    const commented = commentedGridIds(rows);
    setSourceData(this.host.map, 'plan', {
      type: 'FeatureCollection',
      features: grids.map((g) => ({ type: 'Feature', geometry: g.geometry, properties: { id: g.id, name: g.properties.name, checked: checked.has(g.id), commented: commented.has(g.id) } })),
    });
    setSourceData(this.host.map, 'comments', commentMarkers(rows, grids));
  }

  private async showDiff(): Promise<void> {
    const id = this.view.plan?.value.id;
    setSourceData(this.host.map, 'diff', this.view.diffShown && id ? await api.planDiff(id) : { type: 'FeatureCollection', features: [] });
  }

  private checkedGrid(): PlanGrid | undefined {
    const [only] = this.view.checked;
    return this.view.checked.size === 1 ? this.view.grids.find((g) => g.id === only) : undefined;
  }

  /** Takes the checked plan grid into the draft, selected for vertex editing; saving the draft writes the new outline back. */
  private reshape(): void {
    const grid = this.checkedGrid();
    const editor = this.host.editor();
    if (!grid || !editor) return;
    const inDraft = editor.state.features.find((f) => f.properties.planGridId === grid.id);
    if (inDraft) editor.dispatch({ type: 'select', ids: [inDraft.id] });
    else {
      const { code, name, kind, subkind, divisionCode, households, staff, managingUnits } = grid.properties;
      const properties: DraftProperties = { code, name, kind, subkind, divisionCode, households, staff, managingUnits, planGridId: grid.id };
      editor.setTool('select');
      editor.dispatch({ type: 'add', geometry: grid.geometry, properties });
    }
    this.host.fitTo(grid.geometry);
    this.view.message = { kind: 'info', text: t('plan.reshapeHint', { name: grid.properties.name }) };
    this.render();
  }

  /** Lets the planner draw a line across the checked grid, then asks the server to split the grid along it. */
  private async split(): Promise<void> {
    const grid = this.checkedGrid();
    const editor = this.host.editor();
    if (!grid || !editor) return;
    this.view.drawingSplit = true;
    this.view.message = { kind: 'info', text: t('plan.splitHint', { name: grid.properties.name }) };
    this.render();
    const line: LineString | null = await editor.captureLine();
    this.view.drawingSplit = false;
    if (!line) {
      this.view.message = null;
      this.render();
      return;
    }
    await this.step(() => api.splitPlanGrid(this.current().value.id, this.current().etag, grid.id, line));
  }

  /**
   * Writes the draft into the plan: a draft grid taken from a plan grid replaces that grid's outline, any other is added.
   * Each grid leaves the draft once written, so sending again after a refusal writes only the rest.
   */
  private async saveDraft(): Promise<Versioned<PlanView>> {
    const editor = this.host.editor();
    let latest = this.current();
    const saved: string[] = [];
    try {
      for (const f of editor?.state.features ?? []) {
        const { planGridId, code, name, kind, subkind, divisionCode, households, staff, managingUnits } = f.properties;
        const source = planGridId ? this.view.grids.find((g) => g.id === planGridId) : undefined;
        if (source) latest = await api.replacePlanGrid(latest.value.id, latest.etag, source.id, planGridBody(source, f.geometry));
        else {
          const properties = { code, name, kind, subkind, divisionCode: divisionCode ?? latest.value.townshipCode, households, staff, managingUnits };
          latest = await api.addPlanGrid(latest.value.id, latest.etag, { type: 'Feature', properties, geometry: f.geometry });
        }
        saved.push(f.id);
      }
    } finally {
      if (saved.length) editor?.dispatch({ type: 'remove', ids: saved });
    }
    return latest;
  }

  private async transition(step: PlanTransition): Promise<void> {
    const view = this.view;
    const comments = returnComments(view.comment.text, view.gridComments);
    if (step === 'return' && !comments.length) {
      view.message = { kind: 'error', text: t('plan.commentRequired') };
      this.render();
      return;
    }
    const body =
      step === 'submit' ? { justifications: Object.fromEntries([...view.justifications].filter(([, text]) => text.trim())) } : step === 'return' ? { comments } : {};
    let receipt: FilingReceipt | undefined;
    const filed = () => (receipt ? t('plan.filed', { number: receipt.number, seq: receipt.head.chainSeq, sha256: receipt.head.sha256 }) : '');
    const done = step === 'file' ? filed : step === 'return' ? t('plan.returned', { count: comments.length }) : undefined;
    await this.step(async () => {
      const result = await api.transition(this.current().value.id, this.current().etag, step, body);
      receipt = result.filing;
      return result;
    }, done);
    if (step === 'file' && view.plan?.value.status === 'filed') await this.host.registryChanged();
    if (step === 'return' && view.plan?.value.status === 'returned') {
      view.comment.text = '';
      view.gridComments.clear();
      this.render();
    }
  }
}
