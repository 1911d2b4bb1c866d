/**
 * Fast-scan of 4-bit OSQ group codes (André, Kermarrec, Le Scouarnec, "Cache locality is not
 * enough: high-performance nearest neighbor search with product quantization fast scan", VLDB
 * 2015; "Quicker ADC", TPAMI 2019), reimplemented for WebAssembly SIMD. See
 * `src/osq/fast-scan-layout.ts` for the layout and `src/osq/fast-scan-reference.ts` for the
 * TypeScript reference this matches exactly.
 *
 * - codes: blocks of 32 rows; block b, group g is 16 bytes at `(b * groups + g) * 16`; byte 2k
 *   holds rows 32b + k (low nibble) and 32b + 16 + k (high nibble), byte 2k + 1 rows 32b + 8 + k
 *   and 32b + 24 + k (k < 8), so even bytes read as u16 lanes are rows 0-7 and odd bytes 8-15.
 * - luts: per query, `groups` tables of 16 uint8 entries of at most 127 (query q's at
 *   `q * groups * 16`), and groups x 127 < 65,536.
 * - masks (0 = none): per query, one u32 word per block (bit r = row 32b + r may be kept).
 * - thresholds: u32 per query; a row is kept when its summed estimate is below it.
 * - counts: u32 per query; rows and values: `capacity` u32 row ids and u16 estimates per query.
 * - scratch: 64 bytes for the four accumulators of a block.
 *
 * Per 32 code bytes (32 rows x two groups) and query: two code and two table loads, and / shift
 * for the nibbles, four `i8x16.swizzle` (16 table lookups each), two u8 adds, and four u16 adds
 * plus two shifts.
 * A block whose rows all miss the threshold writes nothing (the per-block skip). Returns the
 * block where it stopped: `blockEnd`, or earlier when a query's output could overflow (fewer
 * than 32 free slots), so the caller can tighten that query's threshold and call again.
 */
export function fastScanBlocks(
  codesPtr: usize,
  groups: i32,
  n: i32,
  blockStart: i32,
  blockEnd: i32,
  queries: i32,
  lutPtr: usize,
  masksPtr: usize,
  thresholdsPtr: usize,
  countsPtr: usize,
  rowsPtr: usize,
  valuesPtr: usize,
  capacity: i32,
  scratchPtr: usize,
): i32 {
  const blockBytes = <usize>groups << 4;
  const blocks = (n + 31) >> 5;
  const lowNibbles = i8x16.splat(0x0f);
  for (let b = blockStart; b < blockEnd; b++) {
    for (let q = 0; q < queries; q++) {
      if (load<i32>(countsPtr + (<usize>q << 2)) + 32 > capacity) return b;
    }
    let valid: u32 = 0xffffffff;
    if (b == blocks - 1 && (n & 31) != 0) valid = (<u32>1 << (<u32>n & 31)) - 1;
    const block = codesPtr + <usize>b * blockBytes;
    for (let q = 0; q < queries; q++) {
      let mask = valid;
      if (masksPtr != 0) mask &= load<u32>(masksPtr + ((<usize>q * <usize>blocks + <usize>b) << 2));
      if (mask == 0) continue;
      const lut = lutPtr + <usize>q * blockBytes;
      // Row sums in 16-bit lanes without widening (the trick of FAISS's fast scan, re-derived):
      // a lookup result read as u16x8 is even + 256 x odd per lane, so `even` sums it whole and
      // `odd` sums its high bytes; even - 256 x odd, mod 2^16, is then the even rows' sum exactly
      // (every sum is below 2^16). Two groups are first added in u8: entries are at most 127.
      let evenLow = i16x8.splat(0);
      let oddLow = i16x8.splat(0);
      let evenHigh = i16x8.splat(0);
      let oddHigh = i16x8.splat(0);
      const pairBytes = blockBytes & ~(<usize>31);
      let at: usize = 0;
      for (; at < pairBytes; at += 32) {
        const codesA = v128.load(block + at);
        const codesB = v128.load(block + at, 16);
        const tableA = v128.load(lut + at);
        const tableB = v128.load(lut + at, 16);
        const low = i8x16.add(
          i8x16.swizzle(tableA, v128.and(codesA, lowNibbles)),
          i8x16.swizzle(tableB, v128.and(codesB, lowNibbles)),
        );
        const high = i8x16.add(
          i8x16.swizzle(tableA, i8x16.shr_u(codesA, 4)),
          i8x16.swizzle(tableB, i8x16.shr_u(codesB, 4)),
        );
        evenLow = i16x8.add(evenLow, low);
        oddLow = i16x8.add(oddLow, i16x8.shr_u(low, 8));
        evenHigh = i16x8.add(evenHigh, high);
        oddHigh = i16x8.add(oddHigh, i16x8.shr_u(high, 8));
      }
      if (at < blockBytes) {
        const codes = v128.load(block + at);
        const table = v128.load(lut + at);
        const low = i8x16.swizzle(table, v128.and(codes, lowNibbles));
        const high = i8x16.swizzle(table, i8x16.shr_u(codes, 4));
        evenLow = i16x8.add(evenLow, low);
        oddLow = i16x8.add(oddLow, i16x8.shr_u(low, 8));
        evenHigh = i16x8.add(evenHigh, high);
        oddHigh = i16x8.add(oddHigh, i16x8.shr_u(high, 8));
      }
      const a0 = i16x8.sub(evenLow, i16x8.shl(oddLow, 8));
      const a1 = oddLow;
      const a2 = i16x8.sub(evenHigh, i16x8.shl(oddHigh, 8));
      const a3 = oddHigh;
      const limit = i16x8.splat(<i16>load<u32>(thresholdsPtr + (<usize>q << 2)));
      let hits =
        <u32>i16x8.bitmask(i16x8.lt_u(a0, limit)) |
        (<u32>i16x8.bitmask(i16x8.lt_u(a1, limit)) << 8) |
        (<u32>i16x8.bitmask(i16x8.lt_u(a2, limit)) << 16) |
        (<u32>i16x8.bitmask(i16x8.lt_u(a3, limit)) << 24);
      hits &= mask;
      if (hits == 0) continue;
      v128.store(scratchPtr, a0);
      v128.store(scratchPtr, a1, 16);
      v128.store(scratchPtr, a2, 32);
      v128.store(scratchPtr, a3, 48);
      const countAt = countsPtr + (<usize>q << 2);
      let count = load<u32>(countAt);
      const slot = <usize>q * <usize>capacity;
      while (hits != 0) {
        const r = ctz(hits);
        store<u32>(rowsPtr + ((slot + count) << 2), (<u32>b << 5) + r);
        store<u16>(valuesPtr + ((slot + count) << 1), load<u16>(scratchPtr + (<usize>r << 1)));
        count++;
        hits &= hits - 1;
      }
      store<u32>(countAt, count);
    }
  }
  return blockEnd;
}

/**
 * out = row x M for a row of `dim` f32 and a dim x dim row-major f32 matrix (a query's KLT
 * rotation, per partition visited): f32x4 multiply-adds over M's rows, scalar for the last
 * `dim % 4` columns.
 */
export function rowTimesMatrix(rowPtr: usize, matrixPtr: usize, dim: i32, outPtr: usize): void {
  const d = <usize>dim;
  const vectorEnd = d & ~(<usize>3);
  for (let j: usize = 0; j < d; j++) store<f32>(outPtr + (j << 2), 0);
  for (let i: usize = 0; i < d; i++) {
    const a = load<f32>(rowPtr + (i << 2));
    if (a == 0) continue;
    const splat = f32x4.splat(a);
    const matrixRow = matrixPtr + ((i * d) << 2);
    let j: usize = 0;
    for (; j < vectorEnd; j += 4) {
      const at = outPtr + (j << 2);
      v128.store(at, f32x4.add(v128.load(at), f32x4.mul(splat, v128.load(matrixRow + (j << 2)))));
    }
    for (; j < d; j++) {
      const at = outPtr + (j << 2);
      store<f32>(at, load<f32>(at) + a * load<f32>(matrixRow + (j << 2)));
    }
  }
}
