// Minimal map of the filed partition on the project's own basemap (land and divisions); the editor grows from here.
import * as maplibregl from 'maplibre-gl';

const status = document.getElementById('status')!;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json() as Promise<T>;
}

const map = new maplibregl.Map({
  container: 'map',
  style: { version: 8, sources: {}, layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#cfe3f0' } }] },
  center: [122.2, 30.1],
  zoom: 8.5,
});

map.on('load', async () => {
  const [islands, grids] = await Promise.all([
    getJson<GeoJSON.FeatureCollection>('/v1/islands'),
    getJson<GeoJSON.FeatureCollection>('/v1/grids?limit=10000'),
  ]);
  map.addSource('islands', { type: 'geojson', data: islands });
  map.addSource('grids', { type: 'geojson', data: grids });
  map.addLayer({ id: 'land', type: 'fill', source: 'islands', paint: { 'fill-color': '#f2efe6' } });
  map.addLayer({ id: 'grids-fill', type: 'fill', source: 'grids', paint: { 'fill-color': '#4a90d9', 'fill-opacity': 0.25 } });
  map.addLayer({ id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': '#1f3a5f', 'line-width': 1 } });
  status.textContent = `${grids.features.length} 个网格 · ${islands.features.length} 个海岛`;
  document.body.dataset.ready = 'true';
});
