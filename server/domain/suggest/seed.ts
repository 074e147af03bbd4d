// A suggestion's randomness comes from its seed alone, so the same request gives the same partition.
import { mulberry32, type Random } from '../random.ts';

/** The generator for a suggestion seed (mixed so that small seeds do not start from nearly equal states). */
export function seededRandom(seed: number): Random {
  return mulberry32(Math.trunc(seed) ^ 0x9e3779b9);
}
