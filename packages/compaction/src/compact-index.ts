import type { CompactionReportWire } from '@squash/contracts';
import { InvalidArgumentError } from '@squash/errors';
import type { IndexDefinition } from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import { type BaseRows, loadBaseRows } from './base-rows.ts';
import { decideCompaction } from './compaction-decision.ts';
import { type CompactOptions, resolveCompactOptions } from './compaction-options.ts';
import { gatherLiveRows, rebuildFully } from './full-rebuild.ts';
import { compactIncrementally } from './incremental-compaction.ts';
import { inProcessExecutor } from './partition-executor.ts';
import { takeSnapshot } from './snapshot.ts';
import { trimLog } from './trim-log.ts';

/**
 * What a compaction did: the wire type the compactor function answers and `squash compact --json`
 * prints (`CompactionReportWire` in contracts), so the two cannot drift.
 */
export type CompactionReport = CompactionReportWire;

/**
 * Folds the write log of the index at `store` (its root: `CURRENT`, `versions/`, `log/`) into a
 * new version, as decided by `decideCompaction`: an incremental rewrite of the affected
 * partitions, a full rebuild, or nothing. Crash-safe at every step: the new version's objects,
 * then its manifest, then a conditional `CURRENT` (readers keep base + tail until it moves; a
 * version without `CURRENT` is garbage for `gc`), and only then the folded log entries are
 * deleted (all but the newest). A run that stops anywhere leaves queries correct, and the next
 * run redoes or finishes the work (it also finishes a previous run's log trim).
 *
 * @throws InvalidArgumentError for bad options, or a base whose dim or metric differs from the
 *   definition.
 * @throws CurrentMovedError (`PRECONDITION_FAILED`) when another publish moved `CURRENT` meanwhile;
 *   nothing of this run remains, and a new run starts from the new version.
 */
export async function compactIndex(
  store: BlobStore,
  definition: IndexDefinition,
  options: CompactOptions = {},
): Promise<CompactionReport> {
  const started = performance.now();
  const resolved = resolveCompactOptions(options);
  const snapshot = await takeSnapshot(store);
  const base = snapshot.manifest;
  if (base !== undefined && (base.dim !== definition.dim || base.metric !== definition.metric)) {
    throw new InvalidArgumentError(
      'definition',
      `index "${definition.name}" is defined with dim ${definition.dim}, metric ${definition.metric}; its version ${base.version} has dim ${base.dim}, metric ${base.metric}`,
    );
  }
  const baseRows = base === undefined ? undefined : await loadBaseRows(store, base, resolved.concurrency);
  const { removed, deletedFromBase } = maskedRows(baseRows, snapshot.tail);
  const decision = decideCompaction({
    definition,
    base,
    tail: snapshot.tail,
    entries: snapshot.entries,
    removed: removed.size,
    deletedFromBase,
    options: resolved,
  });
  const now = options.now ?? new Date();
  let version: string | undefined;
  let rowsAfter = base?.count ?? 0;
  let partitions = base?.partitions.length ?? 0;
  let partitionsRewritten = 0;
  let rowsMoved = 0;
  if (decision.mode === 'full') {
    const live = await gatherLiveRows(store, snapshot, definition.dim, resolved.concurrency);
    const { published } = await rebuildFully(store, definition, snapshot, live, {
      now,
      concurrency: resolved.concurrency,
    });
    version = published.version;
    rowsAfter = published.manifest.count;
    partitions = partitionsRewritten = published.manifest.partitions.length;
  } else if (decision.mode === 'incremental') {
    const result = await compactIncrementally(store, snapshot, baseRows!, removed, {
      executor: options.executor ?? inProcessExecutor(store),
      now,
      concurrency: resolved.concurrency,
    });
    ({ version, partitionsRewritten, rowsMoved } = result);
    rowsAfter = result.count;
  }
  const logSequence = version === undefined ? (base?.logSequence ?? 0) : snapshot.tail.lastSequence;
  // With no version of our own, trim only what the current base folds (a previous run's leftovers).
  const logEntriesDeleted =
    version !== undefined || base !== undefined ? await trimLog(store, logSequence) : 0;
  return {
    index: definition.name,
    mode: decision.mode,
    reason: decision.reason,
    baseVersion: base?.version,
    version,
    logSequence,
    entriesFolded: version === undefined ? 0 : snapshot.entries,
    rowsBefore: base?.count ?? 0,
    tailUpserts: snapshot.tail.rows.size,
    tailDeletes: snapshot.tail.deleted.size,
    rowsAfter,
    partitions,
    partitionsRewritten,
    rowsMoved,
    logEntriesDeleted,
    ms: Math.round(performance.now() - started),
  };
}

function maskedRows(
  base: BaseRows | undefined,
  tail: { rows: ReadonlyMap<string, unknown>; deleted: ReadonlySet<string> },
): { removed: Set<number>; deletedFromBase: number } {
  const removed = new Set<number>();
  let deletedFromBase = 0;
  if (base === undefined) return { removed, deletedFromBase };
  for (const id of tail.rows.keys()) {
    const row = base.rowOf.get(id);
    if (row !== undefined) removed.add(row);
  }
  for (const id of tail.deleted) {
    const row = base.rowOf.get(id);
    if (row !== undefined) {
      removed.add(row);
      deletedFromBase++;
    }
  }
  return { removed, deletedFromBase };
}
