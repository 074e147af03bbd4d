// The sea on the map: current vessel positions for everyone who may read the registry, and for the maritime
// authority the alerts panel, with the alerts ringed on the map.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { watchesSea } from '../api/auth.ts';
import { api, type GridFeature, type Vessel, type VesselAlert } from '../api/client.ts';
import { setSourceData } from '../map/layers.ts';
import { alertMapData, formationsOf, latestReport, vesselMapData, type Formation } from '../map/vessels.ts';
import { renderAlertsPanel, type AlertTime, type AlertsPanelView } from '../ui/alerts-panel.ts';

const FOCUS_ZOOM = 12;
const empty = { type: 'FeatureCollection' as const, features: [] };
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class SeaWatch {
  vessels: Vessel[] = [];
  formations: Formation[] = [];
  private key: string | null = null;
  private readonly view: AlertsPanelView = { at: 'now', latestReport: null, list: null, loading: false, error: null };

  constructor(
    private readonly map: MapLibreMap,
    private readonly panel: HTMLElement,
    private readonly onFormations: () => void,
  ) {}

  /** Draws every vessel at its last position, coloured by formation. A caller who may not read the registry sees none. */
  async loadVessels(grids: GridFeature[]): Promise<void> {
    this.vessels = await api.vessels().catch(() => []);
    this.formations = formationsOf(this.vessels, grids);
    this.view.latestReport = latestReport(this.vessels);
    setSourceData(this.map, 'vessels', vesselMapData(this.vessels, this.formations));
    this.onFormations();
    this.render();
  }

  /** A role change: the maritime authority gets the alerts panel, everyone else loses it. */
  async setKey(key: string | null, grids: GridFeature[]): Promise<void> {
    this.key = key;
    await this.loadVessels(grids);
    await this.loadAlerts();
  }

  render(): void {
    this.panel.hidden = !watchesSea(this.key);
    if (this.panel.hidden) return;
    renderAlertsPanel(this.panel, this.view, { choose: (at) => void this.choose(at), focus: (alert) => this.focus(alert) });
  }

  private async choose(at: AlertTime): Promise<void> {
    this.view.at = at;
    await this.loadAlerts();
  }

  private async loadAlerts(): Promise<void> {
    if (!watchesSea(this.key)) {
      this.view.list = null;
      setSourceData(this.map, 'alerts', empty);
      this.render();
      return;
    }
    this.view.loading = true;
    this.view.error = null;
    this.render();
    try {
      this.view.list = await api.alerts(this.view.at === 'latest' ? (this.view.latestReport ?? undefined) : undefined);
      setSourceData(this.map, 'alerts', alertMapData(this.view.list.alerts));
    } catch (error) {
      this.view.list = null;
      this.view.error = message(error);
      setSourceData(this.map, 'alerts', empty);
    } finally {
      this.view.loading = false;
      this.render();
    }
  }

  private focus(alert: VesselAlert): void {
    if (!alert.position) return;
    this.map.jumpTo({ center: [alert.position.lon, alert.position.lat], zoom: Math.max(this.map.getZoom(), FOCUS_ZOOM) });
  }
}
