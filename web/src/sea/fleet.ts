// Formations built from the vessel list: the maritime authority ticks vessels, picks a formation in force and puts
// them into it; the vessel layer and the legend are then drawn again in the formations' colours.
import { watchesSea } from '../api/auth.ts';
import { api, type GridFeature } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { renderFleetPanel, type FleetPanelView } from '../ui/fleet-panel.ts';
import { fleetRows, formationChoices } from './roster.ts';
import type { SeaWatch } from './watch.ts';

export interface FleetHost {
  panel: HTMLElement;
  sea: SeaWatch;
  key(): string | null;
  grids(): GridFeature[];
}

const detail = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class FleetSession {
  private readonly view: Omit<FleetPanelView, 'rows' | 'choices'> = { selected: new Set(), target: '', busy: false, message: null };

  constructor(private readonly host: FleetHost) {}

  render(): void {
    const { panel, sea } = this.host;
    panel.hidden = !watchesSea(this.host.key());
    if (panel.hidden) return;
    const rows = fleetRows(sea.vessels, sea.formations);
    for (const id of this.view.selected) if (!rows.some((r) => r.id === id)) this.view.selected.delete(id);
    renderFleetPanel(panel, { ...this.view, rows, choices: formationChoices(this.host.grids()) }, {
      toggle: (id) => {
        if (!this.view.selected.delete(id)) this.view.selected.add(id);
        this.render();
      },
      choose: (code) => {
        this.view.target = code;
        this.render();
      },
      assign: () => void this.assign(),
    });
  }

  /** Puts every ticked vessel into the chosen formation, one request each; those refused stay ticked. */
  private async assign(): Promise<void> {
    const view = this.view;
    const code = view.target;
    const name = formationChoices(this.host.grids()).find((f) => f.code === code)?.name ?? code;
    view.busy = true;
    view.message = null;
    this.render();
    const failures: string[] = [];
    let moved = 0;
    for (const id of [...view.selected]) {
      try {
        await api.joinFormation(id, code);
        view.selected.delete(id);
        moved++;
      } catch (error) {
        failures.push(detail(error));
      }
    }
    await this.host.sea.loadVessels(this.host.grids());
    view.busy = false;
    view.message = failures.length ? { kind: 'error', text: t('fleet.failed', { detail: failures[0] }) } : { kind: 'info', text: t('fleet.assigned', { count: moved, name }) };
    this.render();
  }
}
