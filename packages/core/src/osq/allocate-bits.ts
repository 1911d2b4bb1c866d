import { InvalidArgumentError } from '../errors/index.ts';
import { MAX_BITS_PER_DIM } from './code-layout.ts';

/**
 * Variances at or below this fraction of the largest variance count as zero: after a rotation,
 * a constant input dimension comes out as rounding noise around 1e-15 of the signal, not 0.
 */
export const ZERO_VARIANCE_RATIO = 1e-12;

export interface AllocateBitsOptions {
  /**
   * Per-dimension cap below 8 bits, e.g. ceil(log2(distinct values)): more cells than distinct
   * values would stay empty. 0 forbids any bit.
   * @default 8 for every dimension
   */
  readonly maxBitsPerDim?: Uint8Array;
}

/**
 * Greedy bit allocation (the VA+-file rule, Ferhatosmanoglu et al. 2000, used by SQUASH's OSQ):
 * hand out `budgetBits` bits one at a time, each to the dimension with the largest remaining
 * energy, then divide that dimension's energy by 4 (one more bit halves the quantization step, so
 * a uniform quantizer's squared error drops four-fold). Energy starts at the dimension's variance.
 *
 * A dimension never exceeds 8 bits (or its `maxBitsPerDim` cap), and a dimension whose variance is
 * at most 1e-12 of the largest gets none. Ties go to the lower dimension. When every dimension is
 * capped before the budget is spent, the rest of the budget is left unused; otherwise exactly
 * `budgetBits` bits are allocated. Cost O(budgetBits * log dim) with a binary heap.
 *
 * Negative variances (rounding noise of an eigen-solver) count as zero.
 *
 * @throws InvalidArgumentError when `budgetBits` is not an integer >= 0, a variance is not
 *   finite, or `maxBitsPerDim` has the wrong length.
 */
export function allocateBits(
  variances: ArrayLike<number>,
  budgetBits: number,
  options: AllocateBitsOptions = {},
): Uint8Array {
  const dim = variances.length;
  if (!Number.isSafeInteger(budgetBits) || budgetBits < 0) {
    throw new InvalidArgumentError('budgetBits', `budgetBits is ${budgetBits}; allowed: an integer >= 0`);
  }
  const caps = options.maxBitsPerDim;
  if (caps !== undefined && caps.length !== dim) {
    throw new InvalidArgumentError(
      'maxBitsPerDim',
      `maxBitsPerDim has ${caps.length} values; the variances have ${dim}`,
    );
  }
  let largest = 0;
  for (let j = 0; j < dim; j++) {
    if (!Number.isFinite(variances[j]!)) {
      throw new InvalidArgumentError(
        'variances',
        `variances[${j}] is ${variances[j]}; allowed: finite numbers`,
      );
    }
    largest = Math.max(largest, variances[j]!);
  }
  const bits = new Uint8Array(dim);
  const heap = new EnergyHeap(dim);
  for (let j = 0; j < dim; j++) {
    const cap = Math.min(MAX_BITS_PER_DIM, caps === undefined ? MAX_BITS_PER_DIM : caps[j]!);
    if (cap > 0 && variances[j]! > ZERO_VARIANCE_RATIO * largest) heap.push(j, variances[j]!);
  }
  for (let spent = 0; spent < budgetBits && heap.size > 0; spent++) {
    const j = heap.topDim();
    bits[j] = bits[j]! + 1;
    const cap = Math.min(MAX_BITS_PER_DIM, caps === undefined ? MAX_BITS_PER_DIM : caps[j]!);
    if (bits[j]! >= cap) heap.pop();
    else heap.replaceTopEnergy(heap.topEnergy() / 4);
  }
  return bits;
}

/** Max-heap of (energy, dim), larger energy first, then lower dim. */
class EnergyHeap {
  private readonly dims: Int32Array;
  private readonly energies: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.dims = new Int32Array(capacity);
    this.energies = new Float64Array(capacity);
  }

  push(dim: number, energy: number): void {
    let k = this.size++;
    this.dims[k] = dim;
    this.energies[k] = energy;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.before(k, parent)) break;
      this.swap(k, parent);
      k = parent;
    }
  }

  topDim(): number {
    return this.dims[0]!;
  }

  topEnergy(): number {
    return this.energies[0]!;
  }

  pop(): void {
    this.size--;
    this.dims[0] = this.dims[this.size]!;
    this.energies[0] = this.energies[this.size]!;
    this.siftDown(0);
  }

  replaceTopEnergy(energy: number): void {
    this.energies[0] = energy;
    this.siftDown(0);
  }

  private siftDown(k: number): void {
    for (;;) {
      const left = 2 * k + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const child = right < this.size && this.before(right, left) ? right : left;
      if (!this.before(child, k)) return;
      this.swap(child, k);
      k = child;
    }
  }

  private before(a: number, b: number): boolean {
    const ea = this.energies[a]!;
    const eb = this.energies[b]!;
    return ea > eb || (ea === eb && this.dims[a]! < this.dims[b]!);
  }

  private swap(a: number, b: number): void {
    const dim = this.dims[a]!;
    const energy = this.energies[a]!;
    this.dims[a] = this.dims[b]!;
    this.energies[a] = this.energies[b]!;
    this.dims[b] = dim;
    this.energies[b] = energy;
  }
}
