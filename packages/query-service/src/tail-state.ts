import type { AttributeSchema, Metric } from '@squash/core';
import { foldLog, type LogEntry } from '@squash/index-format';
import { TailSnapshot } from './tail-snapshot.ts';

/** What a tail is folded on: the pinned base version (none for an index without a version yet). */
export interface TailBase {
  /** The base version, or undefined when the index has none yet (every row is in the tail). */
  readonly version: string | undefined;
  /** The base's `logSequence`: entries up to it are in the base. */
  readonly logSequence: number;
  /** Rows of the base (0 without one). */
  readonly count: number;
  readonly metric: Metric;
  readonly dim: number;
  readonly schema: AttributeSchema;
}

/** Result of pulling the log: the new snapshot, or `gap` when entries the tail needs are gone. */
export type TailPull = { readonly snapshot: TailSnapshot } | { readonly gap: true };

/**
 * The log tail one coordinator holds for one index on one pinned base, refreshed incrementally:
 * a pull reads only the entries above the newest one folded (`readEntries(after)`: one LIST of
 * `log/` plus one GET per new entry), so a query on an index without new writes costs one LIST.
 *
 * **Gaps.** Log sequences are dense (each append takes the last + 1), so the entries after the
 * newest folded one must start right after it. When they do not, a compaction published a
 * version that folds them and deleted them: the pull reports `gap` and the caller re-pins the new
 * base and starts a new tail from its `logSequence`.
 *
 * **Ordering.** Concurrent pulls are queued, and a caller joins a pull that has not started yet
 * (it will list after the caller arrived), so every query sees every entry acknowledged before it
 * started, with at most two LISTs in flight per index.
 */
export class TailState {
  private entries: LogEntry[] = [];
  private last: number;
  private snapshot: TailSnapshot;
  private chain: Promise<unknown> = Promise.resolve();
  private pending: Promise<TailPull> | undefined;
  /** When the last pull finished (for the bounded-staleness read). */
  pulledAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly base: TailBase,
    private readonly readEntries: (after: number) => Promise<LogEntry[]>,
    private readonly now: () => number,
  ) {
    this.last = base.logSequence;
    this.snapshot = this.freeze();
  }

  /** The snapshot as of the last pull (no store access). */
  current(): TailSnapshot {
    return this.snapshot;
  }

  /** Pulls the entries written since the last pull (see the class comment). */
  pull(): Promise<TailPull> {
    if (this.pending !== undefined) return this.pending;
    const pull: Promise<TailPull> = this.chain.then(() => {
      if (this.pending === pull) this.pending = undefined;
      return this.read();
    });
    this.pending = pull;
    this.chain = pull.catch(() => undefined);
    return pull;
  }

  private async read(): Promise<TailPull> {
    const fresh = await this.readEntries(this.last);
    let expected = this.last + 1;
    for (const entry of fresh) {
      if (entry.sequence !== expected) return { gap: true };
      expected++;
    }
    if (fresh.length > 0) {
      this.entries = this.entries.concat(fresh);
      this.last = fresh[fresh.length - 1]!.sequence;
      this.snapshot = this.freeze();
    }
    this.pulledAt = this.now();
    return { snapshot: this.snapshot };
  }

  private freeze(): TailSnapshot {
    const { count, metric, dim, schema, logSequence } = this.base;
    return new TailSnapshot(foldLog(this.entries, logSequence), count, metric, dim, schema);
  }
}
