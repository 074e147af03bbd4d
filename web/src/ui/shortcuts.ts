// Keyboard shortcuts of the editor. The mapping is a pure function so it can be tested and listed in the help line.
export type ShortcutAction = 'draw' | 'select' | 'split' | 'merge' | 'delete' | 'undo' | 'redo' | 'cancel';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** `Ctrl+Z` undo, `Ctrl+Y` or `Ctrl+Shift+Z` redo, single letters for tools; nothing when typing in a field. */
export function shortcutAction(press: KeyPress): ShortcutAction | null {
  const key = press.key.toLowerCase();
  if (press.ctrlKey || press.metaKey) {
    if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    return null;
  }
  switch (key) {
    case 'd':
      return 'draw';
    case 'v':
      return 'select';
    case 's':
      return 'split';
    case 'm':
      return 'merge';
    case 'delete':
    case 'backspace':
      return 'delete';
    case 'escape':
      return 'cancel';
    default:
      return null;
  }
}

export function mountShortcuts(run: (action: ShortcutAction) => void): void {
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
    const action = shortcutAction(event);
    if (!action) return;
    event.preventDefault();
    run(action);
  });
}
