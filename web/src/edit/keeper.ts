// Keeps the draft in the browser's storage as it changes (after the edit has been drawn and sent for validation, not
// in its way), brings it back when the editor loads, and moves it along when the same person switches key.
import { DraftStore, type DraftContext, type SaveOutcome, type StoredDraft } from './persist.ts';
import type { EditorState } from './state.ts';

export interface KeeperHost {
  state(): EditorState | null;
  context(): DraftContext;
  /** After each write: the notice and the size warning may have changed. */
  written(): void;
}

export class DraftKeeper {
  /** The draft brought back at load, shown with a way to discard it until it is dismissed, discarded or saved. */
  restored: StoredDraft | null = null;
  /** How the last write went; the edit panel warns when the draft was too large to keep. */
  outcome: SaveOutcome | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private written: { state: EditorState; context: string; key: string | null } | null = null;

  constructor(
    private readonly store: DraftStore,
    private key: string | null,
    private readonly host: KeeperHost,
  ) {}

  /** The draft kept for this key, if any; remembered as `restored` for the notice. */
  take(): StoredDraft | null {
    this.restored = this.store.load(this.key);
    return this.restored;
  }

  /** Writes soon: several changes in one turn (an edit, then its selection) make one write. */
  schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => this.flush(), 0);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const state = this.host.state();
    if (!state) return;
    const context = this.host.context();
    const written = this.written;
    const contextText = `${context.township}|${context.planId}`;
    if (written && written.state === state && written.context === contextText && written.key === this.key) return;
    this.outcome = this.store.save(this.key, { ...context, savedAt: new Date().toISOString(), state });
    this.written = { state, context: contextText, key: this.key };
    if (state.features.length === 0) this.restored = null;
    this.host.written();
  }

  /**
   * The same person chose another key. Work in hand moves to that key; with none in hand, the draft kept for that
   * key (if any) is returned to be restored.
   */
  setKey(key: string | null): StoredDraft | null {
    if (key === this.key) return null;
    this.store.clear(this.key);
    this.key = key;
    this.written = null;
    if (!this.host.state()?.features.length) return this.take();
    this.flush();
    return null;
  }

  discard(): void {
    this.store.clear(this.key);
    this.restored = null;
  }

  dismiss(): void {
    this.restored = null;
  }
}
