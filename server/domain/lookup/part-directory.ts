// Which parts of a lookup layer (one per township) may hold a point: a uniform grid over the parts' extents whose
// cells list the parts whose extent meets them, in part order. The same monotone cell function as the grid layers'
// own directories (cellOf), so a point inside a part's extent always lands in a cell that lists the part.
import { cellOf } from './grid-layer.ts';

export interface PartDirectory {
  /** minX, minY, maxX, maxY over every part; empty (min > max) without parts. */
  readonly box: Float64Array;
  readonly nx: number;
  readonly ny: number;
  readonly invW: number;
  readonly invH: number;
  /** CSR: cell c lists parts entries[cellStart[c] .. cellStart[c + 1] - 1]. */
  readonly cellStart: Int32Array;
  readonly entries: Int32Array;
}

const CELLS_PER_PART = 16;
const MAX_CELLS = 1 << 20;

/**
 * Builds the directory over part extents (4 numbers per part: minX, minY, maxX, maxY, as GridLayer.dirBox).
 * @example partDirectory([Float64Array.of(122, 30, 122.1, 30.1)]).entries // Int32Array [0]
 */
export function partDirectory(extents: readonly Float64Array[]): PartDirectory {
  const n = extents.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const e of extents) {
    minX = Math.min(minX, e[0]);
    minY = Math.min(minY, e[1]);
    maxX = Math.max(maxX, e[2]);
    maxY = Math.max(maxY, e[3]);
  }
  if (n === 0) return { box: Float64Array.of(1, 1, -1, -1), nx: 1, ny: 1, invW: 0, invH: 0, cellStart: new Int32Array(2), entries: new Int32Array(0) };
  const width = maxX - minX;
  const height = maxY - minY;
  const target = Math.min(MAX_CELLS, n * CELLS_PER_PART);
  const aspect = width > 0 && height > 0 ? width / height : 1;
  const nx = width > 0 ? Math.max(1, Math.round(Math.sqrt(target * aspect))) : 1;
  const ny = height > 0 ? Math.max(1, Math.round(target / nx)) : 1;
  const invW = width > 0 ? nx / width : 0;
  const invH = height > 0 ? ny / height : 0;

  const span = (e: Float64Array) => [cellOf(e[0], minX, invW, nx), cellOf(e[2], minX, invW, nx), cellOf(e[1], minY, invH, ny), cellOf(e[3], minY, invH, ny)];
  const cellStart = new Int32Array(nx * ny + 1);
  for (const e of extents) {
    const [i0, i1, j0, j1] = span(e);
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) cellStart[j * nx + i + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) cellStart[c + 1] += cellStart[c];
  const entries = new Int32Array(cellStart[nx * ny]);
  const fill = cellStart.slice(0, nx * ny);
  // Parts in order, so every cell lists its parts in part order.
  extents.forEach((e, p) => {
    const [i0, i1, j0, j1] = span(e);
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) entries[fill[j * nx + i]++] = p;
  });
  return { box: Float64Array.of(minX, minY, maxX, maxY), nx, ny, invW, invH, cellStart, entries };
}

/** The directory cell of point i of `coords`, or -1 outside every part's extent (NaN included). */
export function partCell(directory: PartDirectory, coords: Float64Array, i: number): number {
  const px = coords[i * 2];
  const py = coords[i * 2 + 1];
  const box = directory.box;
  if (!(px >= box[0] && px <= box[2] && py >= box[1] && py <= box[3])) return -1;
  return cellOf(py, box[1], directory.invH, directory.ny) * directory.nx + cellOf(px, box[0], directory.invW, directory.nx);
}
