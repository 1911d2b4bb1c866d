import { bitmapWordCount } from '../bitmap/bitmap.ts';
import type { Metric } from '../distance/metric.ts';
import { hammingScanImpl } from '../osq/binary-code.ts';
import { FastScanner, type FastScanRequest } from '../osq/fast-scanner.ts';
import type { OsqCodes, OsqQuantizer } from '../osq/osq-quantizer.ts';
import type { OsqScanner } from '../osq/osq-scanner.ts';
import { createOsqScanner } from '../osq/osq-scanner-factory.ts';
import { prepareOsqQueryImpl } from '../osq/prepare-osq-query.ts';
import { TopK } from '../search/top-k.ts';
import type { KernelBackend } from '../wasm/choose-backend.ts';

/** Rows chosen by the code-level stages for the exact re-rank. */
export interface CodeSelection {
  /** Local rows, best estimate first. */
  readonly rows: Uint32Array;
  /** Rows that survived the Hamming pre-prune (all scanned rows when it did not run). */
  readonly hammingKept: number;
  /** Bytes of binary, fast-scan and OSQ codes read. */
  readonly bytesTouched: number;
}

/** One query of a code-level selection. */
export interface CodeQuery {
  /** The LeanVec-reduced query. */
  readonly reduced: Float32Array;
  /** Local rows that pass the filter, ascending; undefined: every row. */
  readonly matching: Uint32Array | undefined;
  /** Rows wanted. */
  readonly keep: number;
  /** Share of rows the Hamming pre-prune keeps (1: the stage is off). */
  readonly hammingKeep: number;
}

/**
 * When a dimension has more than 4 bits the fast-scan code drops its low bits (a lossy
 * `FastScanLayout`): the fast scan then keeps this many times `keep` rows, and the OSQ ADC over
 * the full codes picks `keep` of them.
 */
const LOSSY_REFINE_FACTOR = 4;

/**
 * The code-level stages of a partition search, in the LeanVec-reduced space with the reduced
 * metric (`l2` for `l2` indexes, `ip` for `ip` and `cosine`):
 * 1. optionally a 1-bit Hamming pre-prune on the high-energy sign bits;
 * 2. the fast scan (`FastScanner`): 4-bit groups of the OSQ codes, uint8 tables, WebAssembly
 *    SIMD; it keeps the `keep` rows with the lowest estimates, reading each partition's codes
 *    once for a whole batch of queries;
 * 3. when the fast-scan code is lossy (dimensions above 4 bits), the exact OSQ ADC estimate over
 *    the full codes re-orders the fast scan's survivors.
 */
export class CodeRanker {
  private readonly fast: FastScanner;
  private osq: OsqScanner | undefined;

  /**
   * `metric` is the metric of the reduced vectors (`reducedMetric` of the LeanVec model), which
   * is also the metric the quantizer was trained for.
   */
  constructor(
    private readonly quantizer: OsqQuantizer,
    private readonly codes: OsqCodes,
    private readonly reducedMetric: Metric,
    private readonly options: { readonly backend?: KernelBackend } = {},
  ) {
    this.fast = FastScanner.create(quantizer, codes.codes, codes.n, { backend: options.backend ?? 'auto' });
  }

  /** Code bytes per row the fast scan reads. */
  get fastScanBytesPerRow(): number {
    return this.fast.layout.bytesPerVector;
  }

  /** `selectBatch` for one query. */
  select(
    reducedQuery: Float32Array,
    matching: Uint32Array | undefined,
    keep: number,
    hammingKeep: number,
  ): CodeSelection {
    return this.selectBatch([{ reduced: reducedQuery, matching, keep, hammingKeep }])[0]!;
  }

  /**
   * For each query, the `keep` rows with the lowest estimates among `matching` (all rows when
   * undefined), after keeping only the `hammingKeep` share (at least `keep` rows) nearest in
   * Hamming distance. `hammingKeep` >= 1 or a quantizer without sign bits skips that stage. The
   * fast scan reads the partition's codes once for all the queries.
   */
  selectBatch(queries: readonly CodeQuery[]): CodeSelection[] {
    const lossless = this.fast.layout.lossless;
    const requests: FastScanRequest[] = [];
    const hammingKept: number[] = [];
    const hammingBytes: number[] = [];
    for (const query of queries) {
      const tables = this.fast.prepare(query.reduced, this.reducedMetric);
      const pruned = this.hammingPrune(query);
      hammingKept.push(pruned.kept);
      hammingBytes.push(pruned.bytes);
      const keep = lossless ? query.keep : query.keep * LOSSY_REFINE_FACTOR;
      requests.push({ tables, mask: pruned.rows === undefined ? null : this.maskOf(pruned.rows), keep });
    }
    const selections = this.fast.select(requests);
    const fastBytes = this.fast.codeBytes;
    return queries.map((query, q) => {
      const chosen = selections[q]!.rows;
      const rows = lossless ? chosen : this.refine(query, chosen);
      const refineBytes = lossless ? 0 : chosen.length * this.quantizer.layout.bytesPerVector;
      return { rows, hammingKept: hammingKept[q]!, bytesTouched: hammingBytes[q]! + fastBytes + refineBytes };
    });
  }

  /** The rows the Hamming stage keeps (the matching rows when it does not run). */
  private hammingPrune(query: CodeQuery): { rows: Uint32Array | undefined; kept: number; bytes: number } {
    const { n } = this.codes;
    const scanned = query.matching === undefined ? n : query.matching.length;
    const words = this.quantizer.binaryWordsPerVector;
    const target = Math.max(query.keep, Math.ceil(query.hammingKeep * scanned));
    if (words === 0 || target >= scanned) return { rows: query.matching, kept: scanned, bytes: 0 };
    const tables = prepareOsqQueryImpl(this.quantizer, query.reduced, this.reducedMetric, true);
    const hamming = new Uint32Array(scanned);
    const rows = query.matching ?? null;
    hammingScanImpl(tables.binary, words, this.codes.binary, rows, scanned, hamming);
    const kept = selectLowest(hamming, rows, target, this.quantizer.binaryDims);
    return { rows: kept, kept: kept.length, bytes: scanned * words * 4 };
  }

  private maskOf(rows: Uint32Array): Uint32Array {
    const mask = new Uint32Array(bitmapWordCount(this.codes.n));
    for (let k = 0; k < rows.length; k++) mask[rows[k]! >>> 5]! |= 1 << (rows[k]! & 31);
    return mask;
  }

  /** The `keep` of `rows` with the lowest OSQ ADC estimate over the full codes. */
  private refine(query: CodeQuery, rows: Uint32Array): Uint32Array {
    this.osq ??= createOsqScanner(this.quantizer, this.codes.codes, this.codes.n, {
      backend: this.options.backend ?? 'auto',
    });
    const tables = prepareOsqQueryImpl(this.quantizer, query.reduced, this.reducedMetric, true);
    const adc = new Float32Array(rows.length);
    this.osq.scanAdc(tables, rows, adc);
    const top = new TopK(query.keep);
    for (let k = 0; k < rows.length; k++) top.push(adc[k]!, rows[k]!);
    return Uint32Array.from(top.result().ids);
  }
}

/**
 * The `target` rows with the smallest small-integer `values` (0..maxValue), by counting sort;
 * equal values keep their scan order. `rows` maps scan position to local row (null: identity).
 * Returned ascending by row, as a mask needs them.
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
