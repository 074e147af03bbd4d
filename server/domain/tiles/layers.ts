// The vector tile layers the editor draws, with what TileJSON says about each.

export type TileLayerName = 'grids' | 'micro-grids' | 'sea-grids' | 'divisions' | 'islands' | 'households';

export interface TileLayer {
  name: TileLayerName;
  description: string;
  minzoom: number;
  maxzoom: number;
  /** Attribute name → TileJSON type ('String' | 'Number' | 'Boolean'). */
  fields: Record<string, 'String' | 'Number' | 'Boolean'>;
}

const gridFields = {
  code: 'String',
  name: 'String',
  kind: 'String',
  subkind: 'String',
  divisionCode: 'String',
  households: 'Number',
  version: 'Number',
} as const;

export const TILE_LAYERS: readonly TileLayer[] = [
  { name: 'grids', description: 'Filed land grids in force (综合网格 and 专属网格)', minzoom: 0, maxzoom: 16, fields: gridFields },
  {
    name: 'micro-grids',
    description: 'Filed micro-grids in force (微网格)',
    minzoom: 0,
    maxzoom: 16,
    fields: { ...gridFields, parentCode: 'String' },
  },
  { name: 'sea-grids', description: 'Filed sea grids in force (海上专属网格)', minzoom: 0, maxzoom: 16, fields: gridFields },
  {
    name: 'divisions',
    description: 'Administrative divisions (行政区划); townships from z7, villages from z9. Demo boundaries are synthetic.',
    minzoom: 0,
    maxzoom: 16,
    fields: { code: 'String', name: 'String', level: 'String', parentCode: 'String', households: 'Number', synthetic: 'Boolean' },
  },
  {
    name: 'islands',
    description: 'Islands (海岛) with permanent residents',
    minzoom: 0,
    maxzoom: 16,
    fields: { id: 'Number', name: 'String', residents: 'Number', inhabited: 'Boolean' },
  },
  {
    name: 'households',
    description: 'Household density: households summed over square cells of 1/16 tile; counts only, never records',
    minzoom: 0,
    maxzoom: 16,
    fields: { households: 'Number' },
  },
];

/** The lowest zoom at which each division level is drawn, so low zooms are not a mesh of villages. */
export const DIVISION_MIN_ZOOM = { city: 0, county: 0, township: 7, village: 9 } as const;

/** Zoom difference between a tile and its household cells: they are the tiles four zooms deeper. */
export const HOUSEHOLD_CELL_ZOOM_OFFSET = 4;
/** Household cells per tile side (16): cells are 256 tile units wide. */
export const HOUSEHOLD_CELLS_PER_TILE = 2 ** HOUSEHOLD_CELL_ZOOM_OFFSET;
/**
 * Up to this tile zoom the household cells are read from their stored sums (household_cells, zooms 4–16); deeper
 * tiles hold few enough household points to sum them per request.
 */
export const HOUSEHOLD_CELLS_STORED_TO_ZOOM = 12;

export function findTileLayer(name: string): TileLayer | undefined {
  return TILE_LAYERS.find((l) => l.name === name);
}

/** Division levels drawn at zoom z. */
export function divisionLevelsAt(z: number): string[] {
  return Object.entries(DIVISION_MIN_ZOOM)
    .filter(([, min]) => z >= min)
    .map(([level]) => level);
}
