// Checks the editor runs on the draft itself, before and beside the server's rule report, so a bow-tie or a grid
// drawn outside its township is reported at once — as a finding, never fixed silently.
import { area, difference, featureCollection, feature as turfFeature, kinks } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Finding } from '../api/client.ts';
import { translate, type MessageKey } from '../i18n/index.ts';
import type { DraftFeature } from './state.ts';

const OUTSIDE_TOLERANCE_M2 = 1;

function message(key: MessageKey, params: Record<string, string | number>): Finding['message'] {
  return { zh: translate('zh', key, params), en: translate('en', key, params) };
}

/**
 * Findings for self-intersecting draft grids and for parts lying outside the township, with the geometry to zoom to.
 * Each grid is checked once while it and the township stay as they are: the reducer keeps an unedited grid as the
 * same object, so after an edit only the grids it touched are clipped against the township again.
 * @example new LocalChecks().findings(state.features, township.geometry).map((f) => f.ruleId) // ['geometry.self-intersection']
 */
export class LocalChecks {
  private byGrid = new WeakMap<DraftFeature, Finding[]>();
  private township: Polygon | MultiPolygon | null = null;

  findings(features: DraftFeature[], township: Polygon | MultiPolygon | null): Finding[] {
    if (township !== this.township) {
      this.byGrid = new WeakMap();
      this.township = township;
    }
    return features.flatMap((feature) => {
      let found = this.byGrid.get(feature);
      if (!found) {
        found = gridFindings(feature, township);
        this.byGrid.set(feature, found);
      }
      return found;
    });
  }
}

function gridFindings(feature: DraftFeature, township: Polygon | MultiPolygon | null): Finding[] {
  const crossings = kinks(feature);
  if (crossings.features.length > 0) {
    // Clipping an invalid ring against the township would report noise.
    return [
      {
        ruleId: 'geometry.self-intersection',
        severity: 'error',
        message: message('local.selfIntersection', { name: feature.properties.name, count: crossings.features.length }),
        codes: [feature.id],
        geometry: { type: 'MultiPoint', coordinates: crossings.features.map((p) => p.geometry.coordinates) },
      },
    ];
  }
  if (!township) return [];
  const outside = difference(featureCollection([turfFeature(feature.geometry), turfFeature(township)]));
  if (!outside || area(outside) <= OUTSIDE_TOLERANCE_M2) return [];
  return [
    {
      ruleId: 'topology.within-division',
      severity: 'error',
      message: message('local.outsideDivision', { name: feature.properties.name }),
      codes: [feature.id],
      geometry: outside.geometry,
    },
  ];
}
