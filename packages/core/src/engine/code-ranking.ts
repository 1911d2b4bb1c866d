import type { Metric } from '../distance/metric.ts';
import { hammingScanImpl } from '../osq/binary-code.ts';
import type { OsqCodes, OsqQuantizer } from '../osq/osq-quantizer.ts';
import { createOsqScanner, type OsqScanner } from '../osq/osq-scanner.ts';
import { prepareOsqQueryImpl } from '../osq/prepare-osq-query.ts';
import { TopK } from '../search/top-k.ts';

/** Rows chosen by the code-level stages for the exact re-rank. */
export interface CodeSelection {
  /** Local rows, in ADC order (best first). */
  readonly rows: Uint32Array;
  /** Rows that survived the Hamming pre-prune (all scanned rows when it did not run). */
  readonly hammingKept: number;
  /** Bytes of binary and OSQ codes read. */
  readonly bytesTouched: number;
}

/**
 * The two code-level stages of a partition search: a 1-bit Hamming pre-prune on the
 * high-energy sign bits, then an OSQ ADC (asymmetric distance) ranking over the bit-packed
 * segment-major codes. Works in the LeanVec-reduced space with the reduced metric (`l2` for
 * `l2` indexes, `ip` for `ip` and `cosine`).
 */
export class CodeRanker {
  private readonly scanner: OsqScanner;

  /**
   * `metric` is the metric of the reduced vectors (`reducedMetric` of the LeanVec model), which
   * is also the metric the quantizer was trained for.
   */
  constructor(
    private readonly quantizer: OsqQuantizer,
    private readonly codes: OsqCodes,
    private readonly reducedMetric: Metric,
    options: { readonly backend?: 'auto' | 'ts' | 'wasm' } = {},
  ) {
    this.scanner = createOsqScanner(quantizer, codes.codes, codes.n, { backend: options.backend ?? 'auto' });
  }

  /**
   * Picks the `keep` rows with the lowest ADC estimate among `matching` (all rows when
   * undefined), after keeping only the `hammingKeep` share (at least `keep` rows) nearest in
   * Hamming distance. `hammingKeep` >= 1 or a quantizer without sign bits skips that stage.
   */
  select(
    reducedQuery: Float32Array,
    matching: Uint32Array | undefined,
    keep: number,
    hammingKeep: number,
  ): CodeSelection {
    const { n } = this.codes;
    const tables = prepareOsqQueryImpl(this.quantizer, reducedQuery, this.reducedMetric, true);
    const scanned = matching === undefined ? n : matching.length;
    let rows: Uint32Array | null = matching ?? null;
    let bytesTouched = 0;
    const words = this.quantizer.binaryWordsPerVector;
    const hammingTarget = Math.max(keep, Math.ceil(hammingKeep * scanned));
    if (words > 0 && hammingTarget < scanned) {
      const hamming = new Uint32Array(scanned);
      hammingScanImpl(tables.binary, words, this.codes.binary, rows, scanned, hamming);
      rows = selectLowest(hamming, rows, hammingTarget, this.quantizer.binaryDims);
      bytesTouched += scanned * words * 4;
    }
    const count = rows === null ? n : rows.length;
    const adc = new Float32Array(count);
    this.scanner.scanAdc(tables, rows, adc);
    bytesTouched += count * this.quantizer.layout.bytesPerVector;
    const top = new TopK(keep);
    for (let k = 0; k < count; k++) top.push(adc[k]!, rows === null ? k : rows[k]!);
    return { rows: Uint32Array.from(top.result().ids), hammingKept: count, bytesTouched };
  }
}

/**
 * The `target` rows with the smallest small-integer `values` (0..maxValue), by counting sort;
 * equal values keep their scan order. `rows` maps scan position to local row (null: identity).
 */
function selectLowest(
  values: Uint32Array,
  rows: Uint32Array | null,
  target: number,
  maxValue: number,
): Uint32Array {
  const histogram = new Uint32Array(maxValue + 2);
  for (let k = 0; k < values.length; k++) histogram[Math.min(values[k]!, maxValue + 1)]!++;
  let threshold = 0;
  let below = 0;
  while (threshold <= maxValue + 1 && below + histogram[threshold]! < target)
    below += histogram[threshold++]!;
  const out = new Uint32Array(target);
  let write = 0;
  let atThreshold = target - below;
  for (let k = 0; k < values.length && write < target; k++) {
    const v = values[k]!;
    if (v < threshold || (v === threshold && atThreshold-- > 0)) out[write++] = rows === null ? k : rows[k]!;
  }
  return out.subarray(0, write);
}
