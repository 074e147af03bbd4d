// KML 2.2: read with @xmldom/xmldom and @tmcw/togeojson, which only walk the document in memory — NetworkLinks are
// listed as ignored and never fetched. Written here as Placemarks with the grid attributes in ExtendedData.
import { DOMParser } from '@xmldom/xmldom';
import { kml } from '@tmcw/togeojson';
import type { FeatureCollection, Geometry, Position } from 'geojson';
import { FormatError, type FeatureFault, type TransferGrid } from './types.ts';
import { gridProperties } from './geojson.ts';

/**
 * Parses a KML document. Its coordinates are WGS84 by the KML spec.
 * @example readKml(bytes).ignored // [{ index: 0, pointer: '/NetworkLink/0', message: 'network link … ignored, never fetched' }]
 */
export function readKml(bytes: Uint8Array): { collection: FeatureCollection<Geometry | null>; ignored: FeatureFault[] } {
  const problems: string[] = [];
  let doc;
  try {
    doc = new DOMParser({ onError: (level, message) => level !== 'warning' && problems.push(message) }).parseFromString(new TextDecoder().decode(bytes), 'text/xml');
  } catch (error) {
    throw new FormatError('not-kml', `the body is not well-formed XML: ${(error as Error).message}`);
  }
  const root = doc.documentElement;
  if (problems.length || !root || root.localName !== 'kml') throw new FormatError('not-kml', problems[0] ?? `the document root is <${root?.nodeName ?? 'nothing'}>, not <kml>`);
  const links = Array.from(doc.getElementsByTagNameNS('*', 'NetworkLink'));
  const ignored = links.map((link, index) => {
    const href = link.getElementsByTagNameNS('*', 'href')[0]?.textContent?.trim() ?? '';
    return { index, pointer: `/NetworkLink/${index}`, message: `network link ${href ? `to ${href} ` : ''}ignored, never fetched: upload the linked file itself` };
  });
  const collection = kml(doc) as FeatureCollection<Geometry | null>;
  // togeojson lists network links as features without geometry; they are reported above instead.
  const placemarks = collection.features.filter((f) => f.properties?.['@geometry-type'] !== 'networklink');
  return { collection: { type: 'FeatureCollection', features: placemarks }, ignored };
}

const escapeXml = (value: string) => value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const coordinates = (ring: Position[]) => `<coordinates>${ring.map(([x, y]) => `${x},${y}`).join(' ')}</coordinates>`;
const polygon = (rings: Position[][]) =>
  `<Polygon><outerBoundaryIs><LinearRing>${coordinates(rings[0])}</LinearRing></outerBoundaryIs>` +
  rings.slice(1).map((hole) => `<innerBoundaryIs><LinearRing>${coordinates(hole)}</LinearRing></innerBoundaryIs>`).join('') +
  '</Polygon>';

/** @example writeKml([grid], '沈家门街道 网格') // '<?xml version="1.0" encoding="UTF-8"?><kml …' */
export function writeKml(grids: TransferGrid[], title: string): string {
  const placemarks = grids.map((grid) => {
    const data = Object.entries(gridProperties(grid))
      .filter(([, value]) => value !== null)
      .map(([key, value]) => `<Data name="${key}"><value>${escapeXml(String(value))}</value></Data>`)
      .join('');
    const geometry = grid.geometry.type === 'Polygon' ? polygon(grid.geometry.coordinates) : `<MultiGeometry>${grid.geometry.coordinates.map(polygon).join('')}</MultiGeometry>`;
    return `<Placemark><name>${escapeXml(grid.name)}</name><ExtendedData>${data}</ExtendedData>${geometry}</Placemark>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${escapeXml(title)}</name>\n${placemarks.join('\n')}\n</Document></kml>\n`;
}
