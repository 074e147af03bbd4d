// In-process notice that ingestion derived new footprints for vessel formations: the lookup index refreshes its sea
// layer and the tile cache drops sea-grid tiles. Replicas hear the same through PostgreSQL NOTIFY wangge_footprint,
// sent in the ingest transaction (see db/repositories/vessels.ts).
import { inProcessEvent } from './inProcess.ts';

export interface FootprintsMoved {
  /** One id per ingest batch, so an instance that hears both the event and its own NOTIFY acts once. */
  batch: string;
  /** The formations whose footprint moved; the NOTIFY payload leaves them out (it is capped at 8000 bytes). */
  codes?: string[];
}

export const FOOTPRINT_CHANNEL = 'wangge_footprint';

const footprintsMoved = inProcessEvent<FootprintsMoved>();

export const onFootprintsMoved = footprintsMoved.on;
export const announceFootprintsMoved = footprintsMoved.announce;
