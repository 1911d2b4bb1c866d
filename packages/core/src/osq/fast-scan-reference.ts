import { FAST_SCAN_BLOCK_ROWS, fastScanBlockCount, fastScanByteOf } from './fast-scan-layout.ts';
import type { FastScanWorkspace } from './fast-scan-workspace.ts';

const UINT16_MAX = 0xffff;

/**
 * TypeScript reference of the WebAssembly fast-scan kernel (`assembly/fast-scan.ts`): the same
 * sums (saturating at 65,535), the same per-block stop rule and the same output order (rows
 * ascending), so both backends select identical rows.
 */
export function fastScanBlocksImpl(
  codes: Uint8Array,
  groups: number,
  n: number,
  blockStart: number,
  blockEnd: number,
  queries: number,
  workspace: FastScanWorkspace,
): number {
  const { luts, masks, thresholds, counts, rows, values, capacity } = workspace;
  const blocks = fastScanBlockCount(n);
  const blockBytes = groups * 16;
  for (let b = blockStart; b < blockEnd; b++) {
    for (let q = 0; q < queries; q++) if (counts[q]! + FAST_SCAN_BLOCK_ROWS > capacity) return b;
    const rowsInBlock = Math.min(FAST_SCAN_BLOCK_ROWS, n - b * FAST_SCAN_BLOCK_ROWS);
    const block = b * blockBytes;
    for (let q = 0; q < queries; q++) {
      const mask = masks === null ? 0xffffffff : masks[q * blocks + b]!;
      if (mask === 0) continue;
      const lut = q * blockBytes;
      const threshold = thresholds[q]!;
      let count = counts[q]!;
      for (let r = 0; r < rowsInBlock; r++) {
        if (((mask >>> r) & 1) === 0) continue;
        const nibbleShift = r < 16 ? 0 : 4;
        const byte = block + fastScanByteOf(r);
        let sum = 0;
        for (let at = 0; at < blockBytes; at += 16) {
          sum += luts[lut + at + ((codes[byte + at]! >>> nibbleShift) & 15)]!;
        }
        sum = Math.min(sum, UINT16_MAX);
        if (sum < threshold) {
          rows[q * capacity + count] = b * FAST_SCAN_BLOCK_ROWS + r;
          values[q * capacity + count] = sum;
          count++;
        }
      }
      counts[q] = count;
    }
  }
  return blockEnd;
}
