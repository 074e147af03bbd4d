// Reading an imported file: unzip (within the limits), parse and place its grids in the plan, all of it CPU work
// that the import worker thread does off the main event loop. `npm run import` reads in-process.
import type { InputCrs } from '../domain/crs/index.ts';
import { FormatError, readGridFile, type GridFileSource, type TransferFormat, type ZipLimits } from '../domain/formats/index.ts';
import { placeInPlan, type ImportTarget, type PlacedImport } from '../domain/plans/import.ts';
import { TaskThread, type TaskFailure } from './thread.ts';

export interface ImportFile {
  /** the file's bytes, or the path of the file holding them (an upload spooled to disk) */
  source: GridFileSource;
  format: TransferFormat;
  /** what the caller said; null: the file's own (.prj, GeoJSON crs) or WGS84 */
  crs: InputCrs | null;
  /** drop Z values (heights) with a note instead of rejecting the features that have them */
  dropZ: boolean;
  /** the GeoPackage feature table to import (its table_name); null: the only one */
  layer: string | null;
}

export interface ImportTask extends ImportFile {
  limits: ZipLimits;
  target: ImportTarget;
}

/** Reads a file and places its grids in the plan; how the import worker and `npm run import` read. */
export async function readImportFile({ source, format, crs, dropZ, layer, limits, target }: ImportTask): Promise<PlacedImport> {
  return placeInPlan(await readGridFile(source, format, crs, { dropZ, layer, limits }), target);
}

/** Something that reads an import: in-process (`readImportFile`) or on the import thread (`ImportWorker.read`). */
export type ImportReader = (task: ImportTask) => Promise<PlacedImport>;

/**
 * The import thread (importWorker.ts), one file at a time; a FormatError keeps its type, status and parameter
 * across the boundary.
 * @example const placed = await new ImportWorker().read({ source: { path }, format: 'shapefile', crs: null, dropZ: false, layer: null, limits, target });
 */
export class ImportWorker extends TaskThread<ImportTask, PlacedImport> {
  constructor() {
    const revive = ({ type, message, status, parameter }: TaskFailure) => (type ? new FormatError(type, message, status, parameter) : new Error(message));
    super(new URL('./importWorker.ts', import.meta.url), revive, 'import');
  }

  readonly read: ImportReader = (task) => this.run(task);
}
