import { expect, it } from 'vitest';
import { MIN_PART_SIZE_BYTES } from '../../src/blob-store.ts';
import {
  chunksOf,
  collect,
  concatBytes,
  firstDifference,
  seededBytes,
  utf8Bytes,
} from '../support/test-bytes.ts';
import type { SuiteContext } from './suite-context.ts';

const MiB = 1024 * 1024;

class SourceFailure extends Error {}

/** Yields `bytesBeforeFailure` bytes in 1 MiB chunks, then throws `SourceFailure`. */
async function* failingSource(bytesBeforeFailure: number): AsyncIterable<Uint8Array> {
  for (let sent = 0; sent < bytesBeforeFailure; sent += MiB) yield seededBytes(MiB, 300 + sent / MiB);
  throw new SourceFailure('source broke part-way');
}

/** Streamed writes (multipart on S3): content, atomic visibility, failure clean-up. */
export function defineStreamCases({ store }: SuiteContext): void {
  it('writes a stream of more than 5 MiB in several parts as the concatenation of its chunks', async () => {
    // Odd chunk sizes so part boundaries never line up with chunk boundaries: 11 x (1 MiB + 7).
    const chunks = Array.from({ length: 11 }, (_, i) => seededBytes(MiB + 7, 20 + i));
    await store().putStream('stream/multi.bin', chunksOf(chunks), { partSizeBytes: MIN_PART_SIZE_BYTES });
    const expected = concatBytes(chunks);
    const read = (await store().get('stream/multi.bin')) ?? new Uint8Array(0);
    expect(read.byteLength).toBe(expected.byteLength);
    expect(firstDifference(read, expected)).toBe(-1);
    expect((await store().head('stream/multi.bin'))?.sizeBytes).toBe(expected.byteLength);
    const tail = await store().getRange('stream/multi.bin', expected.byteLength - 100, 100);
    expect(firstDifference(tail, expected.subarray(expected.byteLength - 100))).toBe(-1);
  });

  it('writes a small stream and an empty stream', async () => {
    await store().putStream('stream/small.txt', chunksOf([utf8Bytes('hel'), utf8Bytes('lo')]));
    expect(new TextDecoder().decode(await store().get('stream/small.txt'))).toBe('hello');
    await store().putStream('stream/empty.bin', chunksOf([]));
    expect((await store().get('stream/empty.bin'))?.byteLength).toBe(0);
  });

  it('copies chunks, so a source that reuses its buffer still writes what it yielded', async () => {
    const buffer = new Uint8Array(4);
    async function* reusing(): AsyncIterable<Uint8Array> {
      for (const value of [1, 2, 3]) {
        buffer.fill(value);
        yield buffer;
      }
    }
    await store().putStream('stream/reused.bin', reusing());
    expect(Array.from((await store().get('stream/reused.bin')) ?? [])).toEqual([
      1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
    ]);
  });

  it('leaves no visible object when the source fails part-way through a multipart write', async () => {
    await expect(
      store().putStream('stream/failed.bin', failingSource(6 * MiB), { partSizeBytes: MIN_PART_SIZE_BYTES }),
    ).rejects.toBeInstanceOf(SourceFailure);
    expect(await store().get('stream/failed.bin')).toBeUndefined();
    expect(await store().head('stream/failed.bin')).toBeUndefined();
    expect(await collect(store().list('stream/'))).toEqual([]);
  });

  it('keeps the previous object when a stream overwriting it fails', async () => {
    await store().put('stream/kept.bin', utf8Bytes('previous'));
    await expect(
      store().putStream('stream/kept.bin', failingSource(6 * MiB), { partSizeBytes: MIN_PART_SIZE_BYTES }),
    ).rejects.toBeInstanceOf(SourceFailure);
    expect(new TextDecoder().decode(await store().get('stream/kept.bin'))).toBe('previous');
    expect(await collect(store().list('stream/'))).toEqual([{ key: 'stream/kept.bin', sizeBytes: 8 }]);
  });

  it('rejects a part size below the 5 MiB S3 minimum with INVALID_ARGUMENT', async () => {
    await expect(
      store().putStream('stream/bad.bin', chunksOf([utf8Bytes('x')]), {
        partSizeBytes: MIN_PART_SIZE_BYTES - 1,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'partSizeBytes' });
    expect(await store().head('stream/bad.bin')).toBeUndefined();
  });
}
