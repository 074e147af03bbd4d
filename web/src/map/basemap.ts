// The built-in basemap draws only the product's own data (sea colour here, land and divisions as layers), so the
// editor works with no internet. An external basemap is opt-in: `?basemap=<url>` or EXTERNAL_BASEMAP below.
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';

/** Deployment setting: an XYZ raster template (with {z}/{x}/{y}) or a MapLibre style URL. Null: no request leaves the server. */
export const EXTERNAL_BASEMAP: string | null = null;

export const SEA_COLOUR = '#cfe3f0';
export const EXTERNAL_LAYER_PREFIX = 'basemap-';

export function externalBasemapUrl(search: string, configured: string | null = EXTERNAL_BASEMAP): string | null {
  const fromQuery = new URLSearchParams(search).get('basemap');
  return fromQuery && /^https?:\/\//.test(fromQuery) ? fromQuery : configured;
}

export function ownStyle(): StyleSpecification {
  return {
    version: 8,
    // No glyphs URL: MapLibre draws every label with the browser's fonts, so labels need no font server.
    sources: {},
    layers: [{ id: 'sea', type: 'background', paint: { 'background-color': SEA_COLOUR } }],
  };
}

/** Sources and layers of an external basemap, ids prefixed so the layer switcher can toggle them as one. */
export async function externalBasemap(url: string): Promise<{ sources: Record<string, SourceSpecification>; layers: LayerSpecification[] }> {
  if (url.includes('{z}')) {
    return {
      sources: { [`${EXTERNAL_LAYER_PREFIX}raster`]: { type: 'raster', tiles: [url], tileSize: 256 } },
      layers: [{ id: `${EXTERNAL_LAYER_PREFIX}raster`, type: 'raster', source: `${EXTERNAL_LAYER_PREFIX}raster` }],
    };
  }
  const style = (await (await fetch(url)).json()) as StyleSpecification;
  const sources = Object.fromEntries(Object.entries(style.sources).map(([id, source]) => [`${EXTERNAL_LAYER_PREFIX}${id}`, source]));
  // Its symbol layers would need its glyphs and sprite; the product's own labels stay in charge of text.
  const layers = style.layers
    .filter((layer) => layer.type !== 'symbol')
    .map((layer) => ({ ...layer, id: `${EXTERNAL_LAYER_PREFIX}${layer.id}`, ...('source' in layer ? { source: `${EXTERNAL_LAYER_PREFIX}${layer.source}` } : {}) }) as LayerSpecification);
  return { sources, layers };
}
