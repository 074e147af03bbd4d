// The attributes every grid carries wherever it travels: in a plan, into a filing, out to an exchange file.
import type { MultiPolygon, Polygon } from 'geojson';
import type { GridKind } from '../../schemas/resources.ts';

export interface GridAttributes {
  name: string;
  kind: GridKind;
  subkind: string | null;
  divisionCode: string;
  /** micro-grids only: the code of the grid they divide */
  parentCode: string | null;
  /** null: counted from the stored household points inside the grid */
  households: number | null;
  population: number | null;
  geometry: Polygon | MultiPolygon;
}
