// In-process notice that a filing landed: the lookup index and the tile cache rebuild from it. Replicas hear the
// same through PostgreSQL NOTIFY (see db/notifications.ts).
import { EventEmitter } from 'node:events';

export interface FilingLanded {
  number: string;
  townshipCode: string;
}

const emitter = new EventEmitter();

export function onFilingLanded(listener: (event: FilingLanded) => void): () => void {
  emitter.on('filing', listener);
  return () => emitter.off('filing', listener);
}

export function announceFilingLanded(event: FilingLanded): void {
  emitter.emit('filing', event);
}
