// Auto-suggest from the editor: a background job for one village, polled for progress; its grids are shown on the
// map, then taken into the draft on request.
import type { Geometry } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { api, type Division } from '../api/client.ts';
import type { DraftEditor } from '../edit/draw.ts';
import type { EditError } from '../edit/state.ts';
import { t } from '../i18n/index.ts';
import { setSourceData } from '../map/layers.ts';
import { renderSuggestPanel, type SuggestPanelView } from '../ui/suggest-panel.ts';

const JOB_POLL_MS = 400;

export interface SuggestHost {
  map: MapLibreMap;
  panel: HTMLElement;
  editor(): DraftEditor | null;
  divisions(): Division[];
  township(): string | null;
  /** The suggested grids went into the draft (with the township of the village when the draft had none). */
  accepted(township: string | null, error: EditError | undefined): void;
  fitTo(geometry: Geometry): void;
}

export class SuggestSession {
  private readonly view: SuggestPanelView = { villages: [], village: null, band: { min: 300, max: 500, ideal: 400 }, job: null, error: null };

  constructor(private readonly host: SuggestHost) {}

  render(): void {
    const { host, view } = this;
    const township = host.township();
    view.villages = host.divisions().filter((d) => d.level === 'village' && (!township || d.code.startsWith(township.slice(0, 9))));
    renderSuggestPanel(host.panel, view, {
      chooseVillage: (code) => {
        view.village = code || null;
        this.render();
      },
      run: () => void this.run(),
      accept: () => this.accept(),
    });
  }

  private accept(): void {
    const features = this.view.job?.result?.features.features ?? [];
    const error = this.host.editor()?.dispatch({
      type: 'load',
      grids: features.map((f) => ({ geometry: f.geometry, properties: { divisionCode: f.properties.divisionCode, households: f.properties.households } })),
    });
    setSourceData(this.host.map, 'suggest', { type: 'FeatureCollection', features: [] });
    this.host.accepted(this.view.village ? `${this.view.village.slice(0, 9)}000` : null, error);
  }

  private async run(): Promise<void> {
    const { view } = this;
    const village = view.village;
    if (!village) return;
    view.error = null;
    view.job = { status: 'queued', phase: null, percent: 0 };
    this.render();
    try {
      const id = await api.suggest({ divisionCode: village, band: view.band });
      let job = await api.job(id);
      while (job.status === 'queued' || job.status === 'running') {
        view.job = job;
        this.render();
        await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
        job = await api.job(id);
      }
      view.job = job;
      if (job.status === 'failed') view.error = job.error?.detail ?? job.error?.title ?? t('suggest.status.failed');
      if (job.result) {
        setSourceData(this.host.map, 'suggest', job.result.features);
        this.host.fitTo({ type: 'GeometryCollection', geometries: job.result.features.features.map((f) => f.geometry) });
      }
    } catch (error) {
      view.job = null;
      view.error = error instanceof Error ? error.message : String(error);
    }
    this.render();
  }
}
