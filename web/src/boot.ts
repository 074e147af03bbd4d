// The page's entry: asks for the first screen's data at once, then loads the editor (MapLibre and all) as a chunk of
// its own, so the requests run while that chunk downloads and compiles.
import './first-data.ts';

import('./main.ts').catch((error: unknown) => {
  document.getElementById('status')!.textContent = `${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset.ready = 'error';
});
