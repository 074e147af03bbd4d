// Holds the in-memory lookup index of the partition in force and keeps it current: built from PostGIS at start,
// updated when a filing lands, heard in-process and, on a real PostgreSQL, through LISTEN wangge_filing so every
// replica follows. A filing changes one township's grids, so only that township is read back and repacked
// (updateLookupIndex); lookups answer from the previous index until the new one is swapped in, and never wait on
// the database. When position ingest derives new formation footprints (wangge_footprint) only the sea layer is
// rebuilt; a lost LISTEN connection rebuilds everything. Past dates use a small LRU of per-date
// indexes built from the registry (`inForce(…, at)`); a filing clears it, since "today" may have changed.
// With LOOKUP_ENGINE=postgis no index is built and every answer comes from PostGIS.
import type { Knex } from 'knex';
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { LookupEngine } from '../config/env.ts';
import type { Backend } from '../db/database.ts';
import { significantDigits } from '../domain/codes/index.ts';
import {
  buildLookupIndex,
  detectSwappedPoint,
  lookupBatch,
  lookupPoint,
  lookupUpdateScope,
  nearestGrid,
  updateLookupIndex,
  type LookupGrid,
  type LookupIndex,
  type NearestGrid,
  type PointLookup,
  type ServiceBBox,
} from '../domain/lookup/index.ts';
import { divisionNodes, lookupGridInputs, lookupPointsSql, nearestGridSql, serviceExtent, type DivisionNode } from '../db/repositories/lookup.ts';
import { announceFilingLanded, onFilingLanded, type FilingLanded } from '../events/filings.ts';
import { FOOTPRINT_CHANNEL, announceFootprintsMoved, onFootprintsMoved, type FootprintsMoved } from '../events/footprints.ts';

export const FILING_CHANNEL = 'wangge_filing';
const PAST_DATES_CACHED = 8;
const RECONNECT_MS = 1_000;

export type DivisionLink = Pick<DivisionNode, 'code' | 'name' | 'level'>;

/** What a rebuild covers: everything, or only the sea layer (footprints moved, nothing else changed). */
export type RebuildScope = 'all' | 'sea';

/** Work waiting for the index: rebuilds and the division prefixes of townships filed since the last pass. */
interface PendingWork {
  all: boolean;
  sea: boolean;
  townships: Set<string>;
}

const noWork = (): PendingWork => ({ all: false, sea: false, townships: new Set() });

/** Answers for a batch, in input order; `grids` holds every grid answered, referenced by position. */
export interface BatchAnswer {
  land: Int32Array;
  micro: Int32Array;
  seaStart: Int32Array;
  sea: Int32Array;
  grids: readonly LookupGrid[];
}

export interface LookupServiceOptions {
  knex: Knex;
  backend: Backend;
  engine: LookupEngine;
  connectionString: string;
  log?: FastifyBaseLogger;
}

interface Snapshot {
  index: LookupIndex | null;
  chains: Map<string, DivisionLink[]>;
  area: ServiceBBox | null;
}

function chainsOf(nodes: DivisionNode[]): Map<string, DivisionLink[]> {
  const byCode = new Map(nodes.map((n) => [n.code, n]));
  const chains = new Map<string, DivisionLink[]>();
  for (const node of nodes) {
    const chain: DivisionLink[] = [];
    for (let d: DivisionNode | undefined = node; d && chain.length < 8; d = d.parentCode ? byCode.get(d.parentCode) : undefined) {
      chain.push({ code: d.code, name: d.name, level: d.level });
    }
    chains.set(node.code, chain);
  }
  return chains;
}

// Grids of the three layers concatenated, so a batch answer refers to one array.
function flatGrids(index: LookupIndex): { grids: LookupGrid[]; microBase: number; seaBase: number } {
  const grids = [...index.land.grids, ...index.micro.grids, ...index.sea.grids];
  return { grids, microBase: index.land.grids.length, seaBase: index.land.grids.length + index.micro.grids.length };
}

export class LookupService {
  private snapshot: Snapshot = { index: null, chains: new Map(), area: null };
  private flat: ReturnType<typeof flatGrids> | null = null;
  private readonly pastIndexes = new Map<string, Promise<LookupIndex>>();
  private rebuilding: Promise<void> | null = null;
  private pending: PendingWork = noWork();
  private readonly heardEvents = new Set<string>();
  private unsubscribe: Array<() => void> = [];
  private listener: pg.Client | null = null;
  private stopped = false;
  /** Counts completed rebuilds; tests and health checks can watch it. */
  generation = 0;

  constructor(private readonly options: LookupServiceOptions) {}

  get engine(): LookupEngine {
    return this.options.engine;
  }

  async start(): Promise<void> {
    await this.rebuild();
    this.unsubscribe = [onFilingLanded((event) => this.filingLanded(event)), onFootprintsMoved((event) => this.footprintsMoved(event))];
    if (this.options.backend === 'postgresql') await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.rebuilding;
  }

  /** Rebuilds the index and division chains (or only the sea layer); calls while one runs coalesce into one more pass. */
  rebuild(scope: RebuildScope = 'all'): Promise<void> {
    if (scope === 'all') this.pending.all = true;
    else this.pending.sea = true;
    return this.work();
  }

  /** Reads back and repacks the grids of one township (a division prefix or code), after a filing of it. */
  updateTownship(townshipCode: string): Promise<void> {
    this.pending.townships.add(lookupUpdateScope(townshipCode.slice(0, significantDigits(townshipCode))));
    return this.work();
  }

  // One pass at a time, in the order the changes were committed: each reads the store after its change was heard.
  private work(): Promise<void> {
    if (this.rebuilding) return this.rebuilding.then(() => (this.hasWork() ? this.work() : undefined));
    const run = async () => {
      while (this.hasWork() && !this.stopped) {
        const { all, sea, townships } = this.pending;
        this.pending = noWork();
        if (all) {
          await this.buildAll();
          continue;
        }
        for (const prefix of townships) await this.buildTownship(prefix);
        if (sea) await this.buildSeaLayer();
      }
    };
    this.rebuilding = run().finally(() => {
      this.rebuilding = null;
    });
    return this.rebuilding;
  }

  private hasWork(): boolean {
    return this.pending.all || this.pending.sea || this.pending.townships.size > 0;
  }

  private async buildAll(): Promise<void> {
    const started = Date.now();
    const { knex, engine } = this.options;
    const [inputs, nodes, area] = await Promise.all([
      engine === 'memory' ? lookupGridInputs(knex) : Promise.resolve(null),
      divisionNodes(knex),
      serviceExtent(knex),
    ]);
    const index = inputs ? buildLookupIndex(inputs) : null;
    this.snapshot = { index, chains: chainsOf(nodes), area };
    this.flat = index ? flatGrids(index) : null;
    this.pastIndexes.clear();
    this.generation++;
    this.options.log?.info({ ms: Date.now() - started, grids: inputs?.length, engine }, 'lookup index built');
  }

  /** Swaps in the township's grids now in force; the other townships' parts and the division chains stay. */
  private async buildTownship(prefix: string): Promise<void> {
    const started = Date.now();
    const { knex, engine } = this.options;
    const [inputs, area] = await Promise.all([engine === 'memory' ? lookupGridInputs(knex, undefined, undefined, prefix) : Promise.resolve(null), serviceExtent(knex)]);
    const current = this.snapshot.index;
    const index = current && inputs ? updateLookupIndex(current, prefix, inputs) : current;
    this.snapshot = { ...this.snapshot, index, area };
    this.flat = index ? flatGrids(index) : null;
    this.pastIndexes.clear();
    this.generation++;
    this.options.log?.info({ ms: Date.now() - started, township: prefix, grids: inputs?.length, engine }, 'lookup index updated');
  }

  /** Swaps in a new sea layer; land, micro-grids and division chains stay. PostGIS mode reads the store each time. */
  private async buildSeaLayer(): Promise<void> {
    const current = this.snapshot.index;
    if (!current) return;
    const [inputs, area] = await Promise.all([lookupGridInputs(this.options.knex, undefined, 'sea'), serviceExtent(this.options.knex)]);
    const index: LookupIndex = { ...current, sea: buildLookupIndex(inputs).sea };
    this.snapshot = { ...this.snapshot, index, area };
    this.flat = flatGrids(index);
    this.pastIndexes.clear();
    this.generation++;
  }

  /** True the first time an event id is heard: an instance hears its own NOTIFY after the in-process event. */
  private firstHearing(id: string): boolean {
    if (this.heardEvents.has(id)) return false;
    this.heardEvents.add(id);
    if (this.heardEvents.size > 256) this.heardEvents.delete(this.heardEvents.values().next().value as string);
    return true;
  }

  private filingLanded(event: FilingLanded): void {
    if (!this.firstHearing(`filing:${event.number}`)) return;
    this.updateTownship(event.townshipCode).catch((err: unknown) => this.options.log?.error({ err }, 'lookup index update failed'));
  }

  private footprintsMoved(event: FootprintsMoved): void {
    if (!this.firstHearing(`footprints:${event.batch}`)) return;
    this.rebuild('sea').catch((err: unknown) => this.options.log?.error({ err }, 'lookup sea layer rebuild failed'));
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.connectionString });
    const retry = () => {
      if (this.listener !== client || this.stopped) return;
      this.listener = null;
      client.end().catch(() => undefined);
      setTimeout(() => {
        // A NOTIFY may have been missed while disconnected.
        this.rebuild().catch(() => undefined);
        this.listen().catch((err: unknown) => this.options.log?.warn({ err }, 'LISTEN reconnect failed'));
      }, RECONNECT_MS).unref();
    };
    client.on('error', (err) => {
      this.options.log?.warn({ err }, `LISTEN ${FILING_CHANNEL}, ${FOOTPRINT_CHANNEL}: connection lost`);
      retry();
    });
    client.on('notification', (message) => {
      try {
        // Announced in-process, so this index and every other subscriber (the tile cache) follow other replicas'
        // writes; this index hears each filing or batch once however it arrives.
        if (message.channel === FILING_CHANNEL) announceFilingLanded(JSON.parse(message.payload ?? '{}') as FilingLanded);
        else if (message.channel === FOOTPRINT_CHANNEL) announceFootprintsMoved(JSON.parse(message.payload ?? '{}') as FootprintsMoved);
      } catch {
        this.rebuild().catch(() => undefined);
      }
    });
    this.listener = client;
    await client.connect();
    await client.query(`LISTEN ${FILING_CHANNEL}; LISTEN ${FOOTPRINT_CHANNEL}`);
  }

  /** The division and its ancestors, nearest first (village → township → county → city). */
  divisionChain(code: string): DivisionLink[] {
    return this.snapshot.chains.get(code) ?? [];
  }

  /** Whether lon,lat are probably swapped: the swapped point lies in the service area and the given one does not. */
  looksSwapped(lon: number, lat: number): boolean {
    const area = this.snapshot.area;
    return area !== null && detectSwappedPoint(area, lon, lat);
  }

  private indexAt(at: string | undefined): Promise<LookupIndex> | LookupIndex {
    if (!at) return this.snapshot.index!;
    let cached = this.pastIndexes.get(at);
    if (cached) {
      // Map order is insertion order: re-inserting marks the date most recently used.
      this.pastIndexes.delete(at);
    } else {
      cached = lookupGridInputs(this.options.knex, at).then((inputs) => buildLookupIndex(inputs));
      cached.catch(() => this.pastIndexes.delete(at));
    }
    this.pastIndexes.set(at, cached);
    if (this.pastIndexes.size > PAST_DATES_CACHED) this.pastIndexes.delete(this.pastIndexes.keys().next().value as string);
    return cached;
  }

  /** Looks up interleaved WGS84 lon,lat pairs; NaN pairs answer none. */
  async lookup(coords: Float64Array, at?: string): Promise<BatchAnswer> {
    if (this.options.engine === 'postgis') return this.lookupSql(coords, at);
    const index = at ? await this.indexAt(at) : this.snapshot.index!;
    const flat = at ? flatGrids(index) : this.flat!;
    const out = lookupBatch(index, coords);
    const n = coords.length >> 1;
    // Shift micro and sea answers into the concatenated grid list.
    for (let i = 0; i < n; i++) if (out.micro[i] >= 0) out.micro[i] += flat.microBase;
    const seaEnd = out.seaStart[n];
    for (let k = 0; k < seaEnd; k++) out.sea[k] += flat.seaBase;
    return { land: out.land, micro: out.micro, seaStart: out.seaStart, sea: out.sea, grids: flat.grids };
  }

  /** Looks up one WGS84 point: its grid, micro-grid and sea grids (no batch arrays, for single requests). */
  async lookupPoint(lon: number, lat: number, at?: string): Promise<PointLookup> {
    if (this.options.engine === 'postgis') return (await lookupPointsSql(this.options.knex, Float64Array.of(lon, lat), at))[0];
    return lookupPoint(at ? await this.indexAt(at) : this.snapshot.index!, lon, lat);
  }

  private async lookupSql(coords: Float64Array, at?: string): Promise<BatchAnswer> {
    const rows = await lookupPointsSql(this.options.knex, coords, at);
    const n = rows.length;
    const grids: LookupGrid[] = [];
    const positions = new Map<string, number>();
    const position = (grid: LookupGrid) => {
      let p = positions.get(grid.code);
      if (p === undefined) {
        p = grids.push(grid) - 1;
        positions.set(grid.code, p);
      }
      return p;
    };
    const land = new Int32Array(n);
    const micro = new Int32Array(n);
    const seaStart = new Int32Array(n + 1);
    const sea: number[] = [];
    rows.forEach((row, i) => {
      land[i] = row.grid ? position(row.grid) : -1;
      micro[i] = row.microGrid ? position(row.microGrid) : -1;
      seaStart[i] = sea.length;
      for (const g of row.seaGrids) sea.push(position(g));
    });
    seaStart[n] = sea.length;
    return { land, micro, seaStart, sea: Int32Array.from(sea), grids };
  }

  /** The land grid nearest to a point outside every grid, with the distance in metres. */
  async nearest(lon: number, lat: number, at?: string): Promise<NearestGrid | null> {
    if (this.options.engine === 'postgis') return nearestGridSql(this.options.knex, lon, lat, at);
    return nearestGrid(await this.indexAt(at), lon, lat);
  }
}
