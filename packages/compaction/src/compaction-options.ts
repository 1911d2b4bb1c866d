import { InvalidArgumentError } from '@squash/errors';
import type { PartitionExecutor } from './partition-executor.ts';

/** Options of `compactIndex`. */
export interface CompactOptions {
  /**
   * Live rows an index needs before its first build: LeanVec and balanced k-means need enough
   * rows to fit a projection and centroids, and below this size an exact scan of the tail is as
   * fast as any index. With fewer live rows the compaction does nothing and the index stays exact
   * over its log.
   * @default 1000
   */
  readonly buildThresholdRows?: number;
  /**
   * Rebuild from scratch (LeanVec, partitions, OSQ retrained on all live rows) when the tail
   * changes more than this fraction of the base's rows (upserts + deletes of base rows). A large
   * tail shifts the data the projection and centroids were fitted to; past this point a rebuild
   * also costs about what rewriting most partitions would.
   * @default 0.5
   */
  readonly rebuildFraction?: number;
  /** `'full'` forces a full rebuild (`squash compact --full`). @default 'auto' */
  readonly mode?: 'auto' | 'full';
  /** Runs the per-partition tasks. @default in-process, 2 at a time */
  readonly executor?: PartitionExecutor;
  /** Store requests in flight at once (loads, copies). @default 4 */
  readonly concurrency?: number;
  /** Time of the publish (names the version). @default new Date() */
  readonly now?: Date;
}

export const DEFAULT_BUILD_THRESHOLD_ROWS = 1000;
export const DEFAULT_REBUILD_FRACTION = 0.5;

export interface ResolvedCompactOptions {
  readonly buildThresholdRows: number;
  readonly rebuildFraction: number;
  readonly mode: 'auto' | 'full';
  readonly concurrency: number;
}

/** @throws InvalidArgumentError naming the option, its value and what is allowed. */
export function resolveCompactOptions(options: CompactOptions): ResolvedCompactOptions {
  const known = ['buildThresholdRows', 'rebuildFraction', 'mode', 'executor', 'concurrency', 'now'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new InvalidArgumentError(key, `unknown compaction option "${key}"; allowed: ${known.join(', ')}`);
  }
  const buildThresholdRows = options.buildThresholdRows ?? DEFAULT_BUILD_THRESHOLD_ROWS;
  if (!Number.isSafeInteger(buildThresholdRows) || buildThresholdRows < 1) {
    throw new InvalidArgumentError(
      'buildThresholdRows',
      `buildThresholdRows is ${buildThresholdRows}; allowed: an integer >= 1`,
    );
  }
  const rebuildFraction = options.rebuildFraction ?? DEFAULT_REBUILD_FRACTION;
  if (!(rebuildFraction >= 0)) {
    throw new InvalidArgumentError(
      'rebuildFraction',
      `rebuildFraction is ${rebuildFraction}; allowed: a number >= 0`,
    );
  }
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'full')
    throw new InvalidArgumentError('mode', `mode is ${JSON.stringify(mode)}; allowed: auto, full`);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new InvalidArgumentError('concurrency', `concurrency is ${concurrency}; allowed: an integer >= 1`);
  return { buildThresholdRows, rebuildFraction, mode, concurrency };
}
