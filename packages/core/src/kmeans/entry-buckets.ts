import { sortDescendingStable } from './sort-descending.ts';

/** A growable list of (key, row, gain) entries in typed arrays. */
export class EntryList {
  length = 0;
  keys: Float64Array;
  rows: Uint32Array;
  gains: Float64Array;

  constructor(initialCapacity: number) {
    const capacity = Math.max(16, initialCapacity);
    this.keys = new Float64Array(capacity);
    this.rows = new Uint32Array(capacity);
    this.gains = new Float64Array(capacity);
  }

  push(key: number, row: number, gain: number): void {
    if (this.length === this.rows.length) this.grow();
    this.keys[this.length] = key;
    this.rows[this.length] = row;
    this.gains[this.length] = gain;
    this.length++;
  }

  private grow(): void {
    const capacity = this.rows.length * 2;
    const keys = new Float64Array(capacity);
    const rows = new Uint32Array(capacity);
    const gains = new Float64Array(capacity);
    keys.set(this.keys);
    rows.set(this.rows);
    gains.set(this.gains);
    this.keys = keys;
    this.rows = rows;
    this.gains = gains;
  }
}

/**
 * Entries grouped by slot (a counting sort, stable: within a slot, entries keep list order),
 * each slot sorted by descending gain on demand.
 */
export class EntryBuckets {
  readonly rows: Uint32Array;
  /** Exact gains, for decisions. */
  readonly gains: Float64Array;
  /** Gains rounded to float32, for the radix ordering only. */
  private readonly sortKeys: Float32Array;
  private readonly starts: Uint32Array;

  /** Groups `list`, whose keys must be slot numbers in [0, slotCount). */
  constructor(list: EntryList, slotCount: number) {
    const starts = new Uint32Array(slotCount + 1);
    for (let e = 0; e < list.length; e++) starts[list.keys[e]! + 1]!++;
    for (let s = 0; s < slotCount; s++) starts[s + 1]! += starts[s]!;
    const fill = starts.slice(0, slotCount);
    this.rows = new Uint32Array(list.length);
    this.gains = new Float64Array(list.length);
    this.sortKeys = new Float32Array(list.length);
    for (let e = 0; e < list.length; e++) {
      const at = fill[list.keys[e]!]!++;
      this.rows[at] = list.rows[e]!;
      this.gains[at] = list.gains[e]!;
      this.sortKeys[at] = list.gains[e]!;
    }
    this.starts = starts;
  }

  /** Entry positions of one slot by descending gain; equal gains keep list order. */
  sortedSlot(slot: number): Uint32Array {
    const start = this.starts[slot]!;
    const order = new Uint32Array(this.starts[slot + 1]! - start);
    for (let e = 0; e < order.length; e++) order[e] = start + e;
    return sortDescendingStable(order, this.sortKeys);
  }
}
