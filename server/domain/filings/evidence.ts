// Tamper evidence for what the API serves, not only for the stored snapshots: each filing's hash is recomputed from
// the filing row as it is now and from the grid versions that are, by the grids table, in force right after the
// filing. Any edit of a filed grid, of the filing's people or times, or of which versions were in force when,
// shows as a divergence named by filing number, grid code and field. A published chain head shows a removed newest
// filing, which leaves nothing behind to recompute.
import type { ChainHead, ChainVerdict, PublishedHead } from '../../schemas/plans.ts';
import { canonicalJson, snapshotHash, verifyChain, type ChainLink } from './chain.ts';
import { chinaDate, filingSnapshot, FILING_FACT_FIELDS, SNAPSHOT_GRID_FIELDS, type FilingFacts, type FilingSnapshot, type SnapshotGrid } from './snapshot.ts';

/** A filing row as stored: its facts, its place in the chain and its snapshot with hashes. */
export interface ChainFiling extends FilingFacts, ChainLink {
  chainSeq: number;
}

/** A grid version as the grids table holds it, with the filings that opened and closed it. */
export interface FiledGridVersion extends SnapshotGrid {
  /** The filing that created this version. */
  filingNumber: string | null;
  /** The filing that replaced it or retired its code; null while in force. */
  closedBy: string | null;
  validFrom: string;
  validTo: string | null;
  /** Vessel formations: when position ingest last derived the geometry. */
  footprintAt: string | null;
}

export interface Divergence {
  /** The filing it concerns; absent for a grid version that no filing records. */
  number?: string;
  grid?: string;
  field?: string;
  reason: string;
}

/** A divergence with its place in the chain, so the first one across all checks can be chosen. */
export interface Located {
  chainSeq: number;
  divergence: Divergence;
}

/** The stored links in chain order: each points at its predecessor and its snapshot matches its hash. */
export function brokenLink(filings: readonly ChainFiling[]): Located | null {
  const verdict = verifyChain([...filings]);
  if (verdict.ok) return null;
  const broken = filings[verdict.checked];
  return { chainSeq: broken.chainSeq, divergence: { number: broken.number, field: verdict.field, reason: `filing ${broken.number}: ${verdict.reason}` } };
}

/** True when the stored geometry is a footprint derived from the formation's vessels, not the one filed. */
const derivedFootprint = (v: FiledGridVersion) => v.subkind === 'vessel_formation' && v.footprintAt !== null;

/**
 * The first divergence between what one township's filings (one scope, chain order) hashed and what the grids
 * table serves. `versions` are the grid versions those filings created; `chainNumbers` every filing in the chain.
 * A version is in force right after filing F when the filing that created it came no later than F and the filing
 * that closed it (if any) came after F. Versions created or closed by a filing the chain lacks are left to
 * {@link unrecordedVersion}.
 */
export function servedDivergence(filings: readonly ChainFiling[], versions: readonly FiledGridVersion[], chainNumbers: ReadonlySet<string>): Located | null {
  const seqOf = new Map(filings.map((f) => [f.number, f.chainSeq]));
  const groupSeq = (number: string | null) => (number === null ? undefined : seqOf.get(number));
  for (const filing of filings) {
    const inForce = versions.filter((v) => {
      const opened = groupSeq(v.filingNumber);
      const closed = groupSeq(v.closedBy);
      return opened !== undefined && opened <= filing.chainSeq && (closed === undefined || closed > filing.chainSeq);
    });
    const stored = storedSnapshot(filing.snapshot);
    const filedGeometry = new Map(stored.grids.map((g) => [`${g.code}@${g.version}`, g.geometry]));
    const served = filingSnapshot(
      filing,
      inForce.map((v) => (derivedFootprint(v) ? { ...v, geometry: filedGeometry.get(`${v.code}@${v.version}`) ?? v.geometry } : v)),
    );
    if (snapshotHash(served, filing.previousSha256) !== filing.snapshotSha256) {
      return { chainSeq: filing.chainSeq, divergence: describeDivergence(stored, served) };
    }
    const validity = validityDivergence(filing, versions, seqOf, chainNumbers);
    if (validity) return { chainSeq: filing.chainSeq, divergence: validity };
  }
  return null;
}

/** A stored snapshot as read: an edited one (the link check names it) may hold anything, and must not break verify. */
function storedSnapshot(snapshot: unknown): Partial<FilingFacts> & { grids: SnapshotGrid[] } {
  if (typeof snapshot !== 'object' || snapshot === null) return { grids: [] };
  const grids = (snapshot as { grids?: unknown }).grids;
  const objects = Array.isArray(grids) ? grids.filter((g): g is SnapshotGrid => typeof g === 'object' && g !== null) : [];
  return { ...(snapshot as Partial<FilingFacts>), grids: objects };
}

/** The first field in which the served snapshot differs from the stored one (whose hash the chain has confirmed). */
function describeDivergence(stored: Partial<FilingFacts> & { grids: SnapshotGrid[] }, served: FilingSnapshot): Divergence {
  const number = served.number;
  for (const field of FILING_FACT_FIELDS) {
    if (canonicalJson(stored[field]) !== canonicalJson(served[field])) {
      return { number, field, reason: `filing ${number}: ${field} is ${JSON.stringify(served[field])}, filed as ${JSON.stringify(stored[field])}` };
    }
  }
  const storedGrids = new Map(stored.grids.map((g) => [g.code, g]));
  const servedGrids = new Map<string, SnapshotGrid>();
  for (const g of served.grids) {
    if (servedGrids.has(g.code)) {
      return { number, grid: g.code, field: 'version', reason: `grid ${g.code}: two versions are in force right after filing ${number}` };
    }
    servedGrids.set(g.code, g);
  }
  const codes = [...new Set([...storedGrids.keys(), ...servedGrids.keys()])].sort();
  for (const code of codes) {
    const filed = storedGrids.get(code);
    const now = servedGrids.get(code);
    if (!now) return { number, grid: code, field: 'grid', reason: `grid ${code} (version ${filed!.version}) is in filing ${number} but the registry no longer has it in force after it` };
    if (!filed) return { number, grid: code, field: 'grid', reason: `grid ${code} (version ${now.version}) is in force after filing ${number} but not in it` };
    for (const field of SNAPSHOT_GRID_FIELDS) {
      if (canonicalJson(filed[field]) !== canonicalJson(now[field])) {
        const shown = field === 'geometry' ? '' : `: ${JSON.stringify(now[field])}, filed as ${JSON.stringify(filed[field])}`;
        return { number, grid: code, field, reason: `grid ${code} ${field} differs from filing ${number}${shown}` };
      }
    }
  }
  return { number, reason: `filing ${number}: the served content does not match its SHA-256` };
}

/**
 * Validity dates as the API serves them (`?at=`): a version created by `filing` is valid from the filing's date in
 * China and until the date of the filing that closed it, or open while none did.
 */
function validityDivergence(
  filing: ChainFiling,
  versions: readonly FiledGridVersion[],
  seqOf: ReadonlyMap<string, number>,
  chainNumbers: ReadonlySet<string>,
): Divergence | null {
  const day = chinaDate(new Date(filing.filedAt));
  const number = filing.number;
  for (const v of versions) {
    const at = { number, grid: v.code };
    if (v.filingNumber === number) {
      if (v.validFrom !== day) return { ...at, field: 'validFrom', reason: `grid ${v.code} version ${v.version} is valid from ${v.validFrom}, filed by ${number} on ${day}` };
      if (v.closedBy === null && v.validTo !== null) {
        return { ...at, field: 'validTo', reason: `grid ${v.code} version ${v.version} ends on ${v.validTo}, but no filing closed it` };
      }
      const closed = v.closedBy === null ? undefined : seqOf.get(v.closedBy);
      if (v.closedBy !== null && chainNumbers.has(v.closedBy) && (closed === undefined || closed <= filing.chainSeq)) {
        return { ...at, field: 'validTo', reason: `grid ${v.code} version ${v.version} is recorded as closed by ${v.closedBy}, not a later filing of its township` };
      }
    }
    if (v.closedBy === number && v.validTo !== day) {
      return { ...at, field: 'validTo', reason: `grid ${v.code} version ${v.version} ends on ${v.validTo ?? 'no date'}, closed by ${number} on ${day}` };
    }
  }
  return null;
}

/** Grid versions no filing of the chain accounts for: created by none, or created or closed by a removed filing. */
export function unrecordedVersion(
  versions: ReadonlyArray<Pick<FiledGridVersion, 'code' | 'version' | 'filingNumber' | 'closedBy'>>,
  chainNumbers: ReadonlySet<string>,
): Divergence | null {
  const findings: Divergence[] = [];
  for (const v of versions) {
    const at = `grid ${v.code} version ${v.version}`;
    if (v.filingNumber === null) findings.push({ grid: v.code, field: 'filingNumber', reason: `${at} is in the registry, but no filing records it` });
    else if (!chainNumbers.has(v.filingNumber)) {
      findings.push({ number: v.filingNumber, grid: v.code, field: 'grid', reason: `${at} was filed by ${v.filingNumber}, which the chain no longer contains` });
    } else if (v.closedBy !== null && !chainNumbers.has(v.closedBy)) {
      findings.push({ number: v.closedBy, grid: v.code, field: 'validTo', reason: `${at} was closed by ${v.closedBy}, which the chain no longer contains` });
    }
  }
  const key = (d: Divergence) => `${d.number ?? ''}|${d.grid}`;
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))[0] ?? null;
}

export function chainHead(filings: readonly ChainFiling[]): ChainHead | null {
  const last = filings.at(-1);
  return last ? { number: last.number, chainSeq: last.chainSeq, sha256: last.snapshotSha256, filedAt: last.filedAt } : null;
}

/** A head published earlier must still be in the chain, as the filing it was published for. */
export function headDivergence(filings: readonly ChainFiling[], published: PublishedHead): Divergence | null {
  const head = chainHead(filings);
  const ends = head ? `the chain ends at ${head.number} (sequence ${head.chainSeq})` : 'the chain has no filing';
  const holder = filings.find((f) => f.snapshotSha256 === published.sha256);
  if (holder) {
    if (published.number === undefined || holder.number === published.number) return null;
    return { number: published.number, field: 'number', reason: `the published head ${published.sha256} is filing ${holder.number}, not ${published.number}` };
  }
  const named = published.number === undefined ? undefined : filings.find((f) => f.number === published.number);
  if (named) {
    return { number: named.number, field: 'sha256', reason: `filing ${named.number} now hashes to ${named.snapshotSha256}, not the published head ${published.sha256}` };
  }
  const which = published.number === undefined ? published.sha256 : `${published.number} (${published.sha256})`;
  return { ...(published.number === undefined ? {} : { number: published.number }), reason: `the chain no longer contains the published head ${which}; ${ends}` };
}

/**
 * The verdict: the divergence earliest in the chain among the located ones (a broken link before a served
 * difference of the same filing), else a version no filing accounts for, else a published head the chain lost.
 */
export function chainVerdict(filings: readonly ChainFiling[], located: ReadonlyArray<Located | null>, unrecorded: Divergence | null, published?: PublishedHead): ChainVerdict {
  const head = chainHead(filings);
  const first = located.reduce<Located | null>((a, b) => (b !== null && (a === null || b.chainSeq < a.chainSeq) ? b : a), null);
  const divergence = first?.divergence ?? unrecorded ?? (published ? headDivergence(filings, published) : null);
  if (!divergence) return { ok: true, checked: filings.length, head };
  const checked = first ? filings.findIndex((f) => f.chainSeq === first.chainSeq) : filings.length;
  const { number, grid, field, reason } = divergence;
  return { ok: false, checked, head, ...(number === undefined ? {} : { brokenAt: number }), ...(grid === undefined ? {} : { grid }), ...(field === undefined ? {} : { field }), reason };
}
