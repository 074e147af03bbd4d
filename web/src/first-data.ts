// The data the first screen needs, requested from the page's small entry (boot.ts) as soon as the page is parsed,
// while the editor's chunk (MapLibre above all) is still downloading and compiling. main.ts takes the same promises.
import { api } from './api/client.ts';

export const registryRequest = Promise.all([api.grids(), api.islands(), api.divisions()]);
export const boundaryRequest = Promise.all([api.divisionsWithBoundaries('county'), api.divisionsWithBoundaries('township')]);
// Awaited by main.ts, which reports a failure; until then a rejection is not "unhandled".
registryRequest.catch(() => undefined);
boundaryRequest.catch(() => undefined);
