/**
 * Bounded top-k selection over (distance, id) pairs.
 *
 * Order: ascending distance; equal distances are broken by the lower id first. The collector is a
 * binary max-heap of size k keyed on (distance, id), so pushing n candidates costs O(n log k) and
 * allocates nothing after construction. NaN distances are never admitted: a NaN would poison the
 * order, and it means a bug upstream, not a near neighbour.
 */
export class TopK {
  readonly k: number;
  private readonly heapDistances: Float64Array;
  private readonly heapIds: Float64Array;
  private count = 0;

  constructor(k: number) {
    this.k = Math.max(0, Math.floor(k));
    this.heapDistances = new Float64Array(this.k);
    this.heapIds = new Float64Array(this.k);
  }

  get size(): number {
    return this.count;
  }

  /** The distance a new candidate must beat (or tie with a lower id) to enter; Infinity until full. */
  get worstDistance(): number {
    return this.count < this.k ? Number.POSITIVE_INFINITY : this.heapDistances[0]!;
  }

  clear(): void {
    this.count = 0;
  }

  /** Offers one candidate. Returns true when it was kept. */
  push(distance: number, id: number): boolean {
    if (this.k === 0 || Number.isNaN(distance)) return false;
    if (this.count < this.k) {
      this.heapDistances[this.count] = distance;
      this.heapIds[this.count] = id;
      this.siftUp(this.count++);
      return true;
    }
    if (!isBefore(distance, id, this.heapDistances[0]!, this.heapIds[0]!)) return false;
    this.heapDistances[0] = distance;
    this.heapIds[0] = id;
    this.siftDown(0);
    return true;
  }

  /** The kept candidates, nearest first. Does not change the collector. */
  result(): { ids: number[]; distances: number[] } {
    const order = Array.from({ length: this.count }, (_, i) => i);
    order.sort((a, b) =>
      compare(this.heapDistances[a]!, this.heapIds[a]!, this.heapDistances[b]!, this.heapIds[b]!),
    );
    return {
      ids: order.map((i) => this.heapIds[i]!),
      distances: order.map((i) => this.heapDistances[i]!),
    };
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (
        !isBefore(
          this.heapDistances[parent]!,
          this.heapIds[parent]!,
          this.heapDistances[i]!,
          this.heapIds[i]!,
        )
      )
        break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.count && this.isWorse(left, worst)) worst = left;
      if (right < this.count && this.isWorse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private isWorse(a: number, b: number): boolean {
    return isBefore(this.heapDistances[b]!, this.heapIds[b]!, this.heapDistances[a]!, this.heapIds[a]!);
  }

  private swap(a: number, b: number): void {
    const d = this.heapDistances[a]!;
    const id = this.heapIds[a]!;
    this.heapDistances[a] = this.heapDistances[b]!;
    this.heapIds[a] = this.heapIds[b]!;
    this.heapDistances[b] = d;
    this.heapIds[b] = id;
  }
}

/** Total order of search results: distance ascending, then id ascending. */
export function compare(distanceA: number, idA: number, distanceB: number, idB: number): number {
  if (distanceA !== distanceB) return distanceA < distanceB ? -1 : 1;
  return idA - idB;
}

function isBefore(distanceA: number, idA: number, distanceB: number, idB: number): boolean {
  return distanceA < distanceB || (distanceA === distanceB && idA < idB);
}
