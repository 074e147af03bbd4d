// A typed in-process event: listeners subscribe (and get an unsubscribe function), producers announce.
import { EventEmitter } from 'node:events';

export interface InProcessEvent<T> {
  on(listener: (event: T) => void): () => void;
  announce(event: T): void;
}

export function inProcessEvent<T>(): InProcessEvent<T> {
  const emitter = new EventEmitter();
  return {
    on(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    announce(event) {
      emitter.emit('event', event);
    },
  };
}
