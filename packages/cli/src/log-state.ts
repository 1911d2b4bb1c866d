import { foldLog, LOG_PREFIX, readLog } from '@squash/index-format';
import type { BlobStore } from '@squash/storage';

/** The write log of an index as `versions` and `inspect` show it. */
export interface LogState {
  /** Sequence of the newest entry (0: nothing was ever written). */
  readonly lastSequence: number;
  /** Entries stored (folded ones not yet trimmed included). */
  readonly entries: number;
  /** The current version's `logSequence` (0 without a version). */
  readonly baseLogSequence: number;
  /** Entries above it: the unindexed tail queries search exactly. */
  readonly tailEntries: number;
  /** Net effect of the tail: ids upserted and ids deleted. */
  readonly tailUpserts: number;
  readonly tailDeletes: number;
}

/** Reads the log (every entry above `baseLogSequence` is fetched and folded). */
export async function readLogState(store: BlobStore, baseLogSequence: number): Promise<LogState> {
  let entries = 0;
  let lastSequence = 0;
  for await (const { key } of store.list(LOG_PREFIX)) {
    const match = /^log\/(\d{16})\.json$/.exec(key);
    if (match === null) continue;
    entries++;
    lastSequence = Math.max(lastSequence, Number(match[1]));
  }
  const tail = await readLog(store, baseLogSequence);
  const folded = foldLog(tail, baseLogSequence);
  return {
    lastSequence,
    entries,
    baseLogSequence,
    tailEntries: tail.length,
    tailUpserts: folded.rows.size,
    tailDeletes: folded.deleted.size,
  };
}

/** One summary line; empty when nothing was ever written (a built index without writes). */
export function describeLogState(log: LogState): string {
  if (log.lastSequence === 0) return '';
  return (
    `log         last sequence ${log.lastSequence}, ${log.entries} entries stored; ` +
    `the version folds up to ${log.baseLogSequence}; tail: ${log.tailEntries} entries ` +
    `(${log.tailUpserts} upserted ids, ${log.tailDeletes} deleted ids)\n`
  );
}
