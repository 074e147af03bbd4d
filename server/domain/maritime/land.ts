// Which reports lie on land: island polygons behind a packed R-tree, so a million points cost a bbox probe each
// and an exact test only near the coast.
import Flatbush from 'flatbush';
import * as turf from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

export class LandMask {
  private readonly index: Flatbush | null;

  constructor(private readonly land: ReadonlyArray<Polygon | MultiPolygon>) {
    if (land.length === 0) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(land.length);
    for (const geometry of land) {
      const [w, s, e, n] = turf.bbox(geometry);
      this.index.add(w, s, e, n);
    }
    this.index.finish();
  }

  /** True when the point lies on land (boundary included: a vessel on the shoreline is aground or berthed). */
  covers(lon: number, lat: number): boolean {
    if (!this.index) return false;
    const candidates = this.index.search(lon, lat, lon, lat);
    return candidates.some((i) => turf.booleanPointInPolygon([lon, lat], this.land[i]));
  }
}
