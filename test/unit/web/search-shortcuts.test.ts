import { describe, expect, it } from 'vitest';
import { searchEntries, type SearchEntry } from '../../../web/src/ui/search.ts';
import { shortcutAction } from '../../../web/src/ui/shortcuts.ts';

const entries: SearchEntry[] = [
  { type: 'grid', code: '330903001001002', name: '新街社区第2网格', divisionName: '新街社区居委会' },
  { type: 'grid', code: '330903001001001', name: '新街社区第1网格', divisionName: '新街社区居委会' },
  { type: 'grid', code: '330903001002001', name: '教场社区第1网格', divisionName: '教场社区居委会' },
  { type: 'division', code: '330903001000', name: '沈家门街道', level: 'township' },
];

describe('searchEntries', () => {
  it('puts the exact code first, then other codes with that prefix', () => {
    expect(searchEntries(entries, '330903001001001').map((e) => e.code)).toEqual(['330903001001001']);
    expect(searchEntries(entries, '330903001001').map((e) => e.code)).toEqual(['330903001001001', '330903001001002']);
  });

  it('finds grids by name and by the name of their division, every word having to match', () => {
    expect(searchEntries(entries, '教场').map((e) => e.code)).toEqual(['330903001002001']);
    expect(searchEntries(entries, '新街 第2').map((e) => e.code)).toEqual(['330903001001002']);
    expect(searchEntries(entries, '沈家门').map((e) => e.type)).toEqual(['division']);
    expect(searchEntries(entries, '   ')).toEqual([]);
  });
});

describe('shortcutAction', () => {
  const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) =>
    shortcutAction({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

  it('maps tool letters, Delete, Escape and the undo/redo chords', () => {
    expect(['d', 'V', 's', 'm', 'Delete', 'Escape'].map((k) => press(k))).toEqual(['draw', 'select', 'split', 'merge', 'delete', 'cancel']);
    expect(press('z', { ctrlKey: true })).toBe('undo');
    expect(press('z', { metaKey: true, shiftKey: true })).toBe('redo');
    expect(press('y', { ctrlKey: true })).toBe('redo');
  });

  it('leaves other keys and browser chords alone', () => {
    expect(press('x')).toBeNull();
    expect(press('s', { ctrlKey: true })).toBeNull();
  });
});
