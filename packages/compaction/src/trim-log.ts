import { LOG_PREFIX, logKey } from '@squash/index-format';
import type { BlobStore } from '@squash/storage';

const LOG_KEY = /^log\/(\d{16})\.json$/;

/**
 * Deletes the log entries folded into a current version (sequence <= `logSequence`) except the
 * newest entry of the log, which stays so the next writer numbers after it (write-log.ts). Runs
 * only after `CURRENT` names that version, so a reader pinned to an older version may find an
 * entry gone; `readLog` treats that as folded, and the reader's next version read covers it.
 * Returns how many entries it deleted.
 */
export async function trimLog(store: BlobStore, logSequence: number): Promise<number> {
  const sequences: number[] = [];
  for await (const { key } of store.list(LOG_PREFIX)) {
    const match = LOG_KEY.exec(key);
    if (match !== null) sequences.push(Number(match[1]));
  }
  const newest = Math.max(0, ...sequences);
  const doomed = sequences.filter((s) => s <= logSequence && s !== newest);
  for (const sequence of doomed) await store.delete(logKey(sequence));
  return doomed.length;
}
