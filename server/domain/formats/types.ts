// Shapes shared by the readers and writers: a grid as files carry it, what an import made of each feature, and
// the error a file that cannot be read at all raises (rendered as problem+json by its type and status).
import type { MultiPolygon, Polygon } from 'geojson';
import type { GridKind } from '../../schemas/resources.ts';
import type { GridAttributes } from '../grids/attributes.ts';

export const TRANSFER_FORMATS = ['geojson', 'shapefile', 'kml', 'csv', 'geopackage'] as const;
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

/** A grid as every export writes it: attributes a planner reads in QGIS, never staff or phones. */
export interface TransferGrid extends GridAttributes {
  code: string | null;
}

/** One feature the importer accepted, in WGS84, with what it had to do to it. */
export interface ImportedGrid {
  /** position of the feature in the file (0-based; CSV: data row) */
  index: number;
  code: string | null;
  name: string | null;
  kind: GridKind | null;
  subkind: string | null;
  divisionCode: string | null;
  parentCode: string | null;
  households: number | null;
  population: number | null;
  geometry: Polygon | MultiPolygon;
  notes: string[];
}

/** Lowest and highest Z of a feature. */
export type ZRange = [min: number, max: number];

/** What the importer does with 3D input: refuse it (the default) or drop the Z values with a note per feature. */
export interface HeightOptions {
  dropZ: boolean;
  /** Per feature, the Z values a reader saw but could not hand on (a shapefile's PolygonZ records); null: none. */
  removedZ?: ReadonlyArray<ZRange | null>;
}

/** Something in the file that was not imported: a rejected feature, or content ignored by design (KML network links). */
export interface FeatureFault {
  index: number;
  pointer: string;
  message: string;
}

export interface ImportOutcome {
  grids: ImportedGrid[];
  /** features that cannot be imported: any of them makes the whole import fail */
  rejected: FeatureFault[];
  /** content left out on purpose (never fetched, never guessed) */
  ignored: FeatureFault[];
}

/** A file that cannot be read as a whole (not a zip, no .shp, no feature table, unknown CRS, unsafe path). */
export class FormatError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly parameter = 'body',
  ) {
    super(message);
  }
}
