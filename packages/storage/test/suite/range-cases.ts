import { expect, it } from 'vitest';
import { firstDifference, seededBytes } from '../support/test-bytes.ts';
import { itUnlessDefect, type SuiteContext } from './suite-context.ts';

/** Ranged reads: exact ranges, clamping at the end, missing keys, bad arguments. */
export function defineRangeCases({ store, knownDefects }: SuiteContext): void {
  const original = seededBytes(1000, 10);
  const expectRange = async (offset: number, length: number, expected: Uint8Array): Promise<void> => {
    const read = await store().getRange('ranges/object.bin', offset, length);
    expect(read.byteLength).toBe(expected.byteLength);
    expect(firstDifference(read, expected)).toBe(-1);
  };

  it('reads the first, middle and last bytes of an object', async () => {
    await store().put('ranges/object.bin', original);
    await expectRange(0, 10, original.subarray(0, 10));
    await expectRange(437, 123, original.subarray(437, 560));
    await expectRange(990, 10, original.subarray(990, 1000));
    await expectRange(999, 1, original.subarray(999, 1000));
    await expectRange(0, 1000, original);
  });

  it('clamps a range that crosses the end of the object', async () => {
    await store().put('ranges/object.bin', original);
    await expectRange(995, 100, original.subarray(995));
    await expectRange(0, 5000, original);
  });

  it('returns no bytes for a range starting at or past the end, or of length zero', async () => {
    await store().put('ranges/object.bin', original);
    await expectRange(1000, 10, new Uint8Array(0));
    await expectRange(5000, 10, new Uint8Array(0));
    await expectRange(10, 0, new Uint8Array(0));
  });

  itUnlessDefect(
    knownDefects.rangeOfEmptyObject,
    'returns no bytes for any range of an empty object',
    async () => {
      await store().put('ranges/empty.bin', new Uint8Array(0));
      expect((await store().getRange('ranges/empty.bin', 0, 16)).byteLength).toBe(0);
      expect((await store().getRange('ranges/empty.bin', 5, 16)).byteLength).toBe(0);
    },
  );

  it('checks that an empty object exists for a zero-length range', async () => {
    await store().put('ranges/empty.bin', new Uint8Array(0));
    expect((await store().getRange('ranges/empty.bin', 0, 0)).byteLength).toBe(0);
  });

  it('reads a range in the middle of a 5 MB object', async () => {
    const big = seededBytes(5_000_000, 11);
    await store().put('ranges/big.bin', big);
    const read = await store().getRange('ranges/big.bin', 2_500_000, 65_536);
    expect(firstDifference(read, big.subarray(2_500_000, 2_565_536))).toBe(-1);
  });

  it('returns bytes the caller may mutate without changing the object', async () => {
    await store().put('ranges/object.bin', original);
    const read = await store().getRange('ranges/object.bin', 0, 10);
    read.fill(0);
    await expectRange(0, 10, original.subarray(0, 10));
  });

  it('rejects a range of a missing key with BLOB_NOT_FOUND', async () => {
    await expect(store().getRange('ranges/missing.bin', 0, 10)).rejects.toMatchObject({
      code: 'BLOB_NOT_FOUND',
      key: 'ranges/missing.bin',
    });
    await expect(store().getRange('ranges/missing.bin', 0, 0)).rejects.toMatchObject({
      code: 'BLOB_NOT_FOUND',
    });
  });

  it('rejects negative, fractional and non-finite offsets and lengths with INVALID_ARGUMENT', async () => {
    await store().put('ranges/object.bin', original);
    for (const [offset, length] of [
      [-1, 10],
      [0, -1],
      [1.5, 10],
      [0, 2.5],
      [Number.NaN, 1],
      [0, Number.POSITIVE_INFINITY],
    ] as const) {
      await expect(store().getRange('ranges/object.bin', offset, length)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
}
