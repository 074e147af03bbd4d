// Keeps formation footprints current while reports stream in: the latest report per vessel, and only formations
// whose members moved are recomputed.
import { formationFootprint, type Footprint, type FootprintOptions, type MemberPosition } from './footprint.ts';
import type { PositionReport } from './positions.ts';

export class FormationTracker {
  private readonly latest = new Map<string, MemberPosition>();
  private readonly formationOf = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly dirty = new Set<string>();
  readonly footprints = new Map<string, Footprint>();

  constructor(membership: ReadonlyArray<{ formationCode: string; mmsi: string }>) {
    for (const { formationCode, mmsi } of membership) {
      this.formationOf.set(mmsi, formationCode);
      this.members.set(formationCode, [...(this.members.get(formationCode) ?? []), mmsi]);
      this.dirty.add(formationCode);
    }
  }

  /** Takes a report; an older one than the vessel's latest changes nothing (out-of-order delivery). */
  observe(report: PositionReport): void {
    const time = report.time.getTime();
    const known = this.latest.get(report.mmsi);
    if (known && known.time >= time) return;
    this.latest.set(report.mmsi, { mmsi: report.mmsi, lon: report.lon, lat: report.lat, time });
    const formation = this.formationOf.get(report.mmsi);
    if (formation) this.dirty.add(formation);
  }

  /** Recomputes the footprints of formations that changed (or all when the window moved); returns their codes. */
  refresh(options: FootprintOptions, all = false): string[] {
    const codes = all ? [...this.members.keys()] : [...this.dirty];
    for (const code of codes) {
      const positions = (this.members.get(code) ?? []).flatMap((mmsi) => this.latest.get(mmsi) ?? []);
      this.footprints.set(code, formationFootprint(positions, options));
    }
    this.dirty.clear();
    return codes;
  }
}
