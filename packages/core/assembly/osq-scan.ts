/**
 * Lookup-table scans of segment-major OSQ codes (see `src/osq/scan-plan.ts` for the table layout
 * and `src/osq/scan-osq.ts` for the TypeScript reference these match bit for bit).
 *
 * Memory regions are owned by the TypeScript `WasmOsqScanner`; every `...Ptr` is a byte offset.
 * - codes: n x segments bytes, byte s of row i at `s * n + i`.
 * - plan: u32 words [segments, straddlers, then per straddler: segment, highMask, lowBits,
 *   tableOffset].
 * - tables: f32, 256 entries per segment then one table per straddling dimension.
 * - ids (when `useIds` is 1): `count` u32 row ids, already checked against n by the caller.
 *
 * Sums are accumulated in f64 in the same order as the reference (constant, segments in order,
 * straddlers in order) and rounded to f32 once, so both backends give identical outputs and the
 * lower bound loses nothing to f32 accumulation. The scan is one load from a 256-entry f32 table
 * per segment and per straddler per row: 256-entry tables are too large for a register lookup, so
 * these kernels are scalar (about 3x the TypeScript reference). The engine's first stage is the
 * fast scan (`fast-scan.ts`), whose 16-entry uint8 tables fit one register and one
 * `i8x16.swizzle` looks up 16 rows; these kernels serve the bounds and the refinement of lossy
 * fast-scan layouts.
 */

// @ts-ignore: decorator
@inline
function rowOf(idsPtr: usize, useIds: i32, k: i32): usize {
  return useIds != 0 ? <usize>load<u32>(idsPtr + (<usize>k << 2)) : <usize>k;
}

/** Byte offset into a table set of straddler `t`'s entry for `row`. */
// @ts-ignore: decorator
@inline
function straddlerEntry(codesPtr: usize, n: usize, row: usize, planPtr: usize, t: usize): usize {
  const base = planPtr + 8 + (t << 4);
  const at = codesPtr + <usize>load<u32>(base) * n + row;
  const lowBits = load<u32>(base, 8);
  const cell = ((<u32>load<u8>(at) & load<u32>(base, 4)) << lowBits) | (<u32>load<u8>(at + n) >> (8 - lowBits));
  return <usize>(load<u32>(base, 12) + cell) << 2;
}

/** out[k] = constant + sum of the table entries of row k (or of row ids[k]). */
export function osqScanOne(
  codesPtr: usize,
  n: i32,
  planPtr: usize,
  tablePtr: usize,
  constant: f64,
  idsPtr: usize,
  useIds: i32,
  count: i32,
  outPtr: usize,
): void {
  const segments = <usize>load<u32>(planPtr);
  const straddlers = <usize>load<u32>(planPtr, 4);
  const stride = <usize>n;
  for (let k: i32 = 0; k < count; k++) {
    const row = rowOf(idsPtr, useIds, k);
    let sum = constant;
    let at = codesPtr + row;
    for (let s: usize = 0; s < segments; s++) {
      sum += <f64>load<f32>(tablePtr + (((s << 8) | <usize>load<u8>(at)) << 2));
      at += stride;
    }
    for (let t: usize = 0; t < straddlers; t++) {
      sum += <f64>load<f32>(tablePtr + straddlerEntry(codesPtr, stride, row, planPtr, t));
    }
    store<f32>(outPtr + (<usize>k << 2), <f32>sum);
  }
}

/** `osqScanOne` for two table sets at once, sharing the code reads. */
export function osqScanPair(
  codesPtr: usize,
  n: i32,
  planPtr: usize,
  tableA: usize,
  constantA: f64,
  tableB: usize,
  constantB: f64,
  idsPtr: usize,
  useIds: i32,
  count: i32,
  outA: usize,
  outB: usize,
): void {
  const segments = <usize>load<u32>(planPtr);
  const straddlers = <usize>load<u32>(planPtr, 4);
  const stride = <usize>n;
  for (let k: i32 = 0; k < count; k++) {
    const row = rowOf(idsPtr, useIds, k);
    let sumA = constantA;
    let sumB = constantB;
    let at = codesPtr + row;
    for (let s: usize = 0; s < segments; s++) {
      const entry = ((s << 8) | <usize>load<u8>(at)) << 2;
      sumA += <f64>load<f32>(tableA + entry);
      sumB += <f64>load<f32>(tableB + entry);
      at += stride;
    }
    for (let t: usize = 0; t < straddlers; t++) {
      const entry = straddlerEntry(codesPtr, stride, row, planPtr, t);
      sumA += <f64>load<f32>(tableA + entry);
      sumB += <f64>load<f32>(tableB + entry);
    }
    store<f32>(outA + (<usize>k << 2), <f32>sumA);
    store<f32>(outB + (<usize>k << 2), <f32>sumB);
  }
}

/**
 * ADC estimates in segment-major order, for ranking: out[k] = constant + the ADC table entries
 * of row k (or of row ids[k]). The loop runs segment by segment over all rows, so each 1 KB
 * segment table stays in L1 and the codes are read sequentially (a full scan) instead of
 * `segments` strided streams; sums are f32 (ranking needs no f64), so results equal
 * `osqScanOne`'s ADC within f32 rounding, not bit for bit.
 */
export function osqAdcSegmentMajor(
  codesPtr: usize,
  n: i32,
  planPtr: usize,
  tablePtr: usize,
  constant: f32,
  idsPtr: usize,
  useIds: i32,
  count: i32,
  outPtr: usize,
): void {
  const segments = <usize>load<u32>(planPtr);
  const straddlers = <usize>load<u32>(planPtr, 4);
  const stride = <usize>n;
  const rows = <usize>count;
  for (let k: usize = 0; k < rows; k++) store<f32>(outPtr + (k << 2), constant);
  for (let s: usize = 0; s < segments; s++) {
    const table = tablePtr + (s << 10);
    const segment = codesPtr + s * stride;
    if (useIds != 0) {
      for (let k: usize = 0; k < rows; k++) {
        const row = <usize>load<u32>(idsPtr + (k << 2));
        const at = outPtr + (k << 2);
        store<f32>(at, load<f32>(at) + load<f32>(table + (<usize>load<u8>(segment + row) << 2)));
      }
    } else {
      for (let k: usize = 0; k < rows; k++) {
        const at = outPtr + (k << 2);
        store<f32>(at, load<f32>(at) + load<f32>(table + (<usize>load<u8>(segment + k) << 2)));
      }
    }
  }
  for (let t: usize = 0; t < straddlers; t++) {
    for (let k: usize = 0; k < rows; k++) {
      const row = rowOf(idsPtr, useIds, <i32>k);
      const at = outPtr + (k << 2);
      store<f32>(at, load<f32>(at) + load<f32>(tablePtr + straddlerEntry(codesPtr, stride, row, planPtr, t)));
    }
  }
}
