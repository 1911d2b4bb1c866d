import type { BlobStore } from '@squash/storage';
import { InterruptedError } from './interrupt.ts';

/**
 * Wraps a store so that every write checks `signal` first and throws `InterruptedError` once it
 * is aborted. `publishIndex` writes the version's objects, then its manifest, then `CURRENT`, so
 * a Ctrl-C during publishing stops it before `CURRENT` moves: the version stays unpublished
 * (`squash gc` removes its objects). Reads and deletes pass through unchanged.
 */
export function interruptibleStore(store: BlobStore, signal: AbortSignal): BlobStore {
  const check = (): void => {
    if (signal.aborted) throw new InterruptedError();
  };
  return {
    get: (key) => store.get(key),
    getRange: (key, offset, length) => store.getRange(key, offset, length),
    head: (key) => store.head(key),
    list: (prefix) => store.list(prefix),
    delete: (key) => store.delete(key),
    deletePrefix: (prefix) => store.deletePrefix(prefix),
    put: async (key, bytes, options) => {
      check();
      return store.put(key, bytes, options);
    },
    putStream: async (key, chunks, options) => {
      check();
      await store.putStream(key, chunks, options);
    },
  };
}
