// Filing records (备案) form a hash chain: each record's SHA-256 covers its canonical snapshot and the previous
// record's hash, so rewriting any past filing breaks every hash after it.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level (RFC 8785 style), so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function snapshotHash(snapshot: unknown, previousSha256: string | null): string {
  return createHash('sha256').update(canonicalJson({ previousSha256, snapshot })).digest('hex');
}

export interface ChainLink {
  number: string;
  snapshot: unknown;
  snapshotSha256: string;
  previousSha256: string | null;
}

/** A broken link names the stored field that fails: the pointer to the predecessor, or the snapshot's content. */
export type ChainVerdict =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: string; field: 'previousSha256' | 'snapshot'; reason: string };

/** Verifies links in filing order: every hash matches its content and points at its predecessor. */
export function verifyChain(links: ChainLink[]): ChainVerdict {
  let previous: string | null = null;
  for (const [i, link] of links.entries()) {
    if (link.previousSha256 !== previous) {
      return { ok: false, checked: i, brokenAt: link.number, field: 'previousSha256', reason: 'previousSha256 does not match the preceding filing (a filing before it was removed or rewritten)' };
    }
    if (snapshotHash(link.snapshot, link.previousSha256) !== link.snapshotSha256) {
      return { ok: false, checked: i, brokenAt: link.number, field: 'snapshot', reason: 'snapshot content does not match its SHA-256' };
    }
    previous = link.snapshotSha256;
  }
  return { ok: true, checked: links.length };
}
