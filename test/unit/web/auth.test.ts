import { describe, expect, it } from 'vitest';
import { mayEdit, mayTake } from '../../../web/src/api/auth.ts';

describe('which workflow buttons a demo key sees', () => {
  it('lets the planner submit but not approve or file, and the reviewer approve or return but not file', () => {
    expect(mayTake('demo-planner', 'submit')).toBe(true);
    expect(mayTake('demo-planner', 'approve')).toBe(false);
    expect(mayTake('demo-reviewer', 'approve')).toBe(true);
    expect(mayTake('demo-reviewer', 'return')).toBe(true);
    expect(mayTake('demo-reviewer', 'file')).toBe(false);
    expect(mayTake('demo-registrar', 'file')).toBe(true);
  });

  it('offers nothing to the public, to an unknown key or to an API client', () => {
    for (const key of [null, 'not-a-key', 'demo-client']) {
      expect(mayEdit(key)).toBe(false);
      expect(mayTake(key, 'file')).toBe(false);
    }
  });
});
