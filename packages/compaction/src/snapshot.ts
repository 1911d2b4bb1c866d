import {
  type CurrentTag,
  foldLog,
  type IndexManifest,
  type LogTail,
  lastSequence,
  loadManifest,
  readCurrentTag,
  readLog,
} from '@squash/index-format';
import type { BlobStore } from '@squash/storage';

/** What one compaction folds: the base it starts from and the log entries above it, fixed at the start. */
export interface CompactionSnapshot {
  /** `CURRENT` as read at the start; the publish moves it only if it is still this. */
  readonly current: CurrentTag;
  /** The base version's manifest, or `undefined` for an index never compacted or built. */
  readonly manifest: IndexManifest | undefined;
  /** Net effect of the entries base.logSequence+1 .. `tail.lastSequence`. */
  readonly tail: LogTail;
  /** Log entries folded into `tail`. */
  readonly entries: number;
}

/**
 * Reads `CURRENT` (with its tag), the base manifest, the log's last sequence now, and folds the
 * entries above the base's `logSequence` up to that sequence. Entries appended later are not
 * folded: they stay in the tail of the new version (its `logSequence` is `tail.lastSequence`).
 */
export async function takeSnapshot(store: BlobStore): Promise<CompactionSnapshot> {
  const current = await readCurrentTag(store);
  const manifest = current.version === undefined ? undefined : await loadManifest(store, current.version);
  const baseSequence = manifest?.logSequence ?? 0;
  const last = await lastSequence(store);
  const entries = (await readLog(store, baseSequence)).filter((entry) => entry.sequence <= last);
  return { current, manifest, tail: foldLog(entries, baseSequence), entries: entries.length };
}
