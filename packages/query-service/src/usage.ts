import type { TreeResponse } from '@squash/contracts';

/** The counters a tree response carries, summed over everything below a node. */
export type UsageCounters = Pick<TreeResponse, 'invocations' | 'coldStarts' | 'bytesRead'>;

/**
 * Usage of one request as it accumulates over tree nodes, payload chunks and routing rounds: the
 * one place counters are summed (faiss's `IndexIVFStats.add` is the model).
 */
export class Usage implements UsageCounters {
  invocations = 0;
  coldStarts = 0;
  bytesRead = 0;

  /** Adds another share's counters to this one; returns this. */
  add(other: UsageCounters): this {
    this.invocations += other.invocations;
    this.coldStarts += other.coldStarts;
    this.bytesRead += other.bytesRead;
    return this;
  }

  /** The sum of `shares`. */
  static sum(shares: readonly UsageCounters[]): Usage {
    const usage = new Usage();
    for (const share of shares) usage.add(share);
    return usage;
  }

  toJSON(): UsageCounters {
    return { invocations: this.invocations, coldStarts: this.coldStarts, bytesRead: this.bytesRead };
  }
}
