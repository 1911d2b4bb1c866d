import { InvalidArgumentError } from '../errors/index.ts';
import type { OsqCodeLayout } from './osq-quantizer.ts';

/** Most bits one dimension's code may take: its code must fit one byte-sized table index. */
export const MAX_BITS_PER_DIM = 8;

/**
 * The layout of codes with `bitsPerDim[j]` bits for dimension j, packed in dimension order with
 * no padding: totalBits = sum(bitsPerDim), bytesPerVector = ceil(totalBits / 8).
 *
 * @throws InvalidArgumentError when a dimension has more than 8 bits or a non-integer count.
 */
export function codeLayout(bitsPerDim: Uint8Array): OsqCodeLayout {
  const bitOffsets = new Uint32Array(bitsPerDim.length);
  let totalBits = 0;
  for (let j = 0; j < bitsPerDim.length; j++) {
    const bits = bitsPerDim[j]!;
    if (bits > MAX_BITS_PER_DIM) {
      throw new InvalidArgumentError(
        'bitsPerDim',
        `bitsPerDim[${j}] is ${bits}; allowed: 0..${MAX_BITS_PER_DIM}`,
      );
    }
    bitOffsets[j] = totalBits;
    totalBits += bits;
  }
  return { bitsPerDim, bitOffsets, totalBits, bytesPerVector: Math.ceil(totalBits / 8) };
}
