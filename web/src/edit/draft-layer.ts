// What the map's draft layer is sent after each change of the draft: only the grids that changed, so the worker
// re-cuts a few tiles instead of a whole township's. Loading or restoring a draft, which changes most grids, sends all.
import type { Feature, FeatureCollection } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { DraftFeature, EditorState } from './state.ts';

export type DraftLayerUpdate = { data: FeatureCollection } | { diff: GeoJSONSourceDiff } | null;

/**
 * Remembers what the layer holds, by grid id: the grid drawn (the reducer keeps an unedited grid as the same object)
 * and whether it was drawn selected.
 * @example const layer = new DraftLayer(); layer.update(state) // { data } the first time, then { diff } or null
 */
export class DraftLayer {
  private drawn = new Map<string, { grid: DraftFeature; selected: boolean }>();

  /** What to send the map so that the layer draws `state`; null when it already does. */
  update(state: Pick<EditorState, 'features' | 'selection'>): DraftLayerUpdate {
    const selection = new Set(state.selection);
    const next = new Map(state.features.map((grid) => [grid.id, { grid, selected: selection.has(grid.id) }]));
    const changed = [...next.values()].filter(({ grid, selected }) => {
      const was = this.drawn.get(grid.id);
      return was?.grid !== grid || was.selected !== selected;
    });
    const removed = [...this.drawn.keys()].filter((id) => !next.has(id));
    this.drawn = next;
    if (changed.length + removed.length === 0) return null;
    if (changed.length + removed.length > next.size / 2) return { data: { type: 'FeatureCollection', features: [...next.values()].map(mapFeature) } };
    return { diff: { remove: removed, add: changed.map(mapFeature) } };
  }
}

/** A draft grid as the layer draws it: its id among the properties too, for a click to find it. */
function mapFeature({ grid, selected }: { grid: DraftFeature; selected: boolean }): Feature {
  return { ...grid, properties: { ...grid.properties, id: grid.id, selected } };
}
