// Search box over grids (code, name) and divisions (name, code); matching is plain and local, the data is already loaded.
import type { Division, GridFeature } from '../api/client.ts';

export type SearchEntry =
  | { type: 'grid'; code: string; name: string; divisionName: string }
  | { type: 'division'; code: string; name: string; level: Division['level'] };

export function searchIndex(grids: GridFeature[], divisions: Division[]): SearchEntry[] {
  const names = new Map(divisions.map((d) => [d.code, d.name]));
  return [
    ...grids
      .filter((g) => g.properties.code !== null)
      .map((g): SearchEntry => ({ type: 'grid', code: g.properties.code!, name: g.properties.name, divisionName: names.get(g.properties.divisionCode) ?? '' })),
    ...divisions.map((d): SearchEntry => ({ type: 'division', code: d.code, name: d.name, level: d.level })),
  ];
}

/**
 * Entries matching every word of the query in code, name or division name; exact code first, then code prefixes, then the rest.
 * @example searchEntries(index, '330903001001001')[0].code // '330903001001001'
 */
export function searchEntries(entries: SearchEntry[], query: string, limit = 12): SearchEntry[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const rank = (e: SearchEntry) => (e.code === words[0] ? 0 : e.code.startsWith(words[0]) ? 1 : e.type === 'division' ? 2 : 3);
  return entries
    .filter((e) => {
      const haystack = `${e.code} ${e.name} ${e.type === 'grid' ? e.divisionName : ''}`.toLowerCase();
      return words.every((w) => haystack.includes(w));
    })
    .sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code))
    .slice(0, limit);
}

export function mountSearch(input: HTMLInputElement, list: HTMLElement, entries: () => SearchEntry[], onPick: (entry: SearchEntry) => void, noMatch: () => string): void {
  const render = () => {
    list.replaceChildren();
    if (!input.value.trim()) return;
    const found = searchEntries(entries(), input.value);
    if (found.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = noMatch();
      list.append(li);
      return;
    }
    for (const entry of found) {
      const li = document.createElement('li');
      li.dataset.code = entry.code;
      li.innerHTML = `<span class="name"></span> <span class="code"></span>`;
      li.querySelector('.name')!.textContent = entry.type === 'grid' ? `${entry.name} · ${entry.divisionName}` : entry.name;
      li.querySelector('.code')!.textContent = entry.code;
      li.addEventListener('click', () => {
        list.replaceChildren();
        input.value = entry.name;
        onPick(entry);
      });
      list.append(li);
    }
  };
  input.addEventListener('input', render);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') (list.querySelector('li[data-code]') as HTMLElement | null)?.click();
    if (event.key === 'Escape') {
      list.replaceChildren();
      input.blur();
    }
  });
}
