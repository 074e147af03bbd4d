// Validation after every edit of the draft: local checks at once, then the server's rule report for the draft's
// township. Started without delay; edits made while a report is on its way are checked right after it.
import type { FeatureCollection } from 'geojson';
import { ApiError, api } from '../api/client.ts';
import type { ValidationView } from '../ui/validation-panel.ts';
import { LocalChecks } from './checks.ts';
import type { Areal } from './geometry.ts';
import { LatestOnly } from './latest-only.ts';
import type { DraftFeature } from './state.ts';

export interface ValidatorHost {
  features(): DraftFeature[];
  township(): string | null;
  /** land, or the sea grids of a maritime authority's draft (judged without the island rule) */
  scope(): 'land' | 'maritime';
  townshipGeometry(code: string): Areal | null;
  show(view: ValidationView): void;
}

export class DraftValidator {
  private readonly runner = new LatestOnly((superseded) => this.validate(superseded));
  private readonly checks = new LocalChecks();

  constructor(private readonly host: ValidatorHost) {}

  request(): void {
    this.runner.request();
  }

  private async validate(superseded: () => boolean): Promise<void> {
    const { host } = this;
    const features = host.features();
    const township = host.township();
    // The server's report is the slow part: it is asked for before the local checks run, which are ready long before it.
    const report = features.length > 0 && township ? this.serverView(township, features) : null;
    const local = this.checks.findings(features, township ? host.townshipGeometry(township) : null);
    if (!report) return host.show(features.length === 0 ? { status: 'idle' } : { status: 'done', local, report: null, notice: 'validation.noDivision' });
    host.show({ status: 'running', local });
    const view = await report;
    if (!superseded()) host.show({ ...view, local });
  }

  /** The server's rule report for the draft as the panel shows it, its own failures included. */
  private async serverView(township: string, features: DraftFeature[]): Promise<Omit<Extract<ValidationView, { status: 'done' }>, 'local'>> {
    const collection: FeatureCollection = {
      type: 'FeatureCollection',
      features: features.map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { ...f.properties, parentCode: null } })),
    };
    try {
      const result = await api.validate({ divisionCode: township, scope: this.host.scope(), features: collection });
      return result.available ? { status: 'done', report: result.value, notice: null } : { status: 'done', report: null, notice: 'validation.unavailable' };
    } catch (error) {
      return { status: 'done', report: null, notice: 'validation.failed', detail: error instanceof ApiError ? error.message : String(error) };
    }
  }
}
