import type {
  PartitionFault,
  QueryMatch,
  QueryResponse,
  TreeResponse,
  WireHit,
  WireQuery,
  WorkItem,
} from '@squash/contracts';
import type { FaultCause } from './faults.ts';
import { mergeFaults, mergeHits } from './tree-merge.ts';

/**
 * What the coordinator knows of each query of a request as rounds come back: its merged hits, the
 * partitions it was sent to and those that searched it, and why the others did not. A query is
 * complete when every partition it was sent to searched it; the rest are its missing partitions,
 * each with the fault its partition reported.
 */
export class QueryProgress {
  hits: WireHit[][];
  private readonly sent: Array<Set<number>>;
  private readonly searched: Array<Set<number>>;
  private readonly faults = new Map<number, PartitionFault>();

  constructor(queryCount: number) {
    this.hits = Array.from({ length: queryCount }, () => []);
    this.sent = Array.from({ length: queryCount }, () => new Set());
    this.searched = Array.from({ length: queryCount }, () => new Set());
  }

  /** Records that `work` is being sent. */
  send(work: readonly WorkItem[]): void {
    for (const item of work) for (const q of item.queries) this.sent[q]!.add(item.partition);
  }

  /** Records that `work` could not be sent, with `cause`. */
  fail(work: readonly WorkItem[], cause: FaultCause): void {
    for (const item of work) this.addFault({ partition: item.partition, ...cause });
  }

  /** Merges one round's response. */
  receive(response: TreeResponse, wires: readonly Pick<WireQuery, 'topK'>[]): void {
    this.hits = this.hits.map((h, q) => mergeHits([h, response.hits[q] ?? []], wires[q]!.topK));
    for (const s of response.searched) for (const q of s.queries) this.searched[q]?.add(s.partition);
    for (const fault of response.faults) this.addFault(fault);
  }

  /** Whether no query was searched on any partition although some were sent (and failed). */
  nothingSearched(): boolean {
    return (
      this.faults.size > 0 &&
      this.searched.every((s) => s.size === 0) &&
      this.hits.every((h) => h.length === 0)
    );
  }

  /** The distinct fault reasons with their partitions, for a message. */
  faultSummary(): string {
    const byReason = new Map<string, number[]>();
    for (const fault of this.faults.values()) {
      const list = byReason.get(fault.reason) ?? [];
      if (list.length === 0) byReason.set(fault.reason, list);
      list.push(fault.partition);
    }
    return [...byReason]
      .map(([reason, partitions]) => `${reason} (partitions ${partitions.join(', ')})`)
      .join('; ');
  }

  /** Every fault reported, one per partition. */
  allFaults(): PartitionFault[] {
    return mergeFaults([...this.faults.values()]);
  }

  /** The answer of query `q` (without usage). */
  answer(q: number): Omit<QueryResponse, 'usage'> {
    const missing = [...this.sent[q]!].filter((p) => !this.searched[q]!.has(p)).sort((a, b) => a - b);
    const matches = this.hits[q]!.map(toMatch);
    if (missing.length === 0) return { matches, complete: true };
    return {
      matches,
      complete: false,
      missingPartitions: missing,
      faults: missing.map(
        (p) =>
          this.faults.get(p) ?? {
            partition: p,
            reason: 'INTERNAL',
            message: 'the partition did not report searching this query',
          },
      ),
    };
  }

  private addFault(fault: PartitionFault): void {
    if (!this.faults.has(fault.partition)) this.faults.set(fault.partition, fault);
  }
}

function toMatch(hit: WireHit): QueryMatch {
  return {
    id: hit.id,
    distance: hit.distance,
    ...(hit.attributes === undefined ? {} : { attributes: hit.attributes }),
  };
}
