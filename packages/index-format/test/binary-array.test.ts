import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_HEADER_BYTES,
  decodeBlocks,
  encodeBlocks,
  numericBlock,
  stringsBlock,
} from '../src/binary-array.ts';
import { IndexCorruptError } from '../src/index-format-errors.ts';

const KEY = 'versions/v/partitions/00000/test.bin';

describe('binary array blocks', () => {
  it('round-trips every dtype with its shape and aligns every payload to 8 bytes', () => {
    const blocks = [
      numericBlock('AAAA', Uint8Array.of(1, 2, 3)),
      numericBlock('BBBB', Uint16Array.of(1, 65535)),
      numericBlock('CCCC', Uint32Array.of(0, 4294967295, 7, 8, 9, 10), [2, 3]),
      numericBlock('DDDD', Int32Array.of(-1, 2_000_000_000)),
      numericBlock('EEEE', Float32Array.of(Math.PI, -0, Number.NaN, Number.POSITIVE_INFINITY)),
      numericBlock('FFFF', Float64Array.of(Math.E, Number.MIN_VALUE)),
      stringsBlock('GGGG', ['', 'row-1', 'ünïcødé ✓', '𝄞']),
      numericBlock('HHHH', new Float32Array(0), [0, 24]),
    ];
    const bytes = encodeBlocks(blocks);
    expect(bytes.byteLength % 8).toBe(0);
    const decoded = decodeBlocks(bytes, KEY);
    expect(decoded.map((b) => [b.tag, b.dtype, b.shape])).toEqual(
      blocks.map((b) => [b.tag, b.dtype, [...b.shape]]),
    );
    decoded.forEach((block, i) => {
      expect(block.data).toEqual(blocks[i]!.data);
      if (block.dtype !== 'utf8') expect((block.data.byteOffset - BLOCK_HEADER_BYTES) % 8).toBe(0);
    });
  });

  it('returns zero-copy views on an aligned buffer and copies from a misaligned one', () => {
    const bytes = encodeBlocks([numericBlock('VECS', Float32Array.of(1, 2, 3, 4), [2, 2])]);
    const view = decodeBlocks(bytes, KEY)[0]!;
    expect(view.data).toBeInstanceOf(Float32Array);
    expect((view.data as Float32Array).buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const copy = decodeBlocks(shifted.subarray(1), KEY)[0]!;
    expect((copy.data as Float32Array).buffer).not.toBe(shifted.buffer);
    expect(copy.data).toEqual(Float32Array.of(1, 2, 3, 4));
  });

  it('round-trips arbitrary float32 matrices and string lists', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.string(), { maxLength: 6 }),
        (rows, cols, strings) => {
          const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.fround(i * 0.37 - 1));
          const bytes = encodeBlocks([
            numericBlock('VECS', data, [rows, cols]),
            stringsBlock('IDST', strings),
          ]);
          const [matrix, ids] = decodeBlocks(bytes, KEY);
          expect(matrix!.data).toEqual(data);
          expect(ids!.data).toEqual(strings);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it('rejects a truncated object with INDEX_CORRUPT naming the key', () => {
    const bytes = encodeBlocks([numericBlock('VECS', new Float32Array(10))]);
    for (const length of [0, 10, BLOCK_HEADER_BYTES, bytes.byteLength - 8]) {
      const error = catchError(() => decodeBlocks(bytes.subarray(0, length), KEY));
      expect(error).toBeInstanceOf(IndexCorruptError);
      expect(error).toMatchObject({ code: 'INDEX_CORRUPT', key: KEY });
      expect((error as Error).message).toContain(KEY);
    }
  });

  it('rejects a wrong magic, an unknown dtype and a payload that does not fit its shape', () => {
    const good = encodeBlocks([numericBlock('VECS', new Float32Array(4))]);
    const badMagic = good.slice();
    badMagic[0] = 0x58;
    const badDtype = good.slice();
    badDtype[9] = 99;
    const badShape = good.slice();
    badShape[16] = 5;
    expect(() => decodeBlocks(badMagic, KEY)).toThrow(/magic/);
    expect(() => decodeBlocks(badDtype, KEY)).toThrow(/dtype code 99/);
    expect(() => decodeBlocks(badShape, KEY)).toThrow(/needs 20/);
  });

  it('rejects utf8 offsets that run past the payload', () => {
    const bytes = encodeBlocks([stringsBlock('IDST', ['a', 'bc'])]);
    bytes[BLOCK_HEADER_BYTES + 8] = 200; // third offset (end of the byte area)
    expect(() => decodeBlocks(bytes, KEY)).toThrow(IndexCorruptError);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
