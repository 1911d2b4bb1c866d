import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@squash/core';
import { describe, expect, it } from 'vitest';
import {
  readBvecs,
  readFvecs,
  readIvecs,
  streamFvecs,
  streamTexmex,
  writeBvecs,
  writeFvecs,
  writeIvecs,
} from '../src/index.ts';
import { collect, expectFileError, pattern, texmexBytes, useTempDir } from './temp-dir.ts';

const tmp = useTempDir();

describe('fvecs / ivecs / bvecs round trip', () => {
  for (const name of ['v.fvecs', 'v.fvecs.gz']) {
    it(`reads back exactly the float32 rows it wrote (${name})`, async () => {
      const data = Float32Array.from(pattern(37, 13));
      await writeFvecs(tmp.path(name), data, 13);
      const read = await readFvecs(tmp.path(name));
      expect(read.n).toBe(37);
      expect(read.dim).toBe(13);
      expect(read.data).toEqual(data);
    });
  }

  for (const name of ['gt.ivecs', 'gt.ivecs.gz']) {
    it(`reads back exactly the int32 rows it wrote (${name})`, async () => {
      const data = Int32Array.from({ length: 50 * 10 }, (_, i) => (i * 2654435761) | 0);
      await writeIvecs(tmp.path(name), data, 10);
      const read = await readIvecs(tmp.path(name));
      expect([read.n, read.dim]).toEqual([50, 10]);
      expect(read.data).toEqual(data);
    });
  }

  for (const name of ['b.bvecs', 'b.bvecs.gz']) {
    it(`reads back exactly the uint8 rows it wrote (${name})`, async () => {
      const data = Uint8Array.from({ length: 9 * 128 }, (_, i) => (i * 31) & 255);
      await writeBvecs(tmp.path(name), data, 128);
      const read = await readBvecs(tmp.path(name));
      expect([read.n, read.dim]).toEqual([9, 128]);
      expect(read.data).toEqual(data);
    });
  }

  it('writes the TEXMEX byte layout: int32 dim then the values, little-endian', async () => {
    await writeFvecs(tmp.path('two.fvecs'), Float32Array.of(1.5, -2, 0.25, 8), 2);
    const expected = texmexBytes(
      [
        { dim: 2, values: [1.5, -2] },
        { dim: 2, values: [0.25, 8] },
      ],
      4,
    );
    expect(new Uint8Array(await readFile(tmp.path('two.fvecs')))).toEqual(expected);
  });

  it('detects gzip by its magic bytes even without a .gz extension', async () => {
    const raw = texmexBytes([{ dim: 3, values: [1, 2, 3] }], 4);
    const file = await tmp.write('hidden-gzip.fvecs', gzipSync(raw));
    expect(Array.from((await readFvecs(file)).data)).toEqual([1, 2, 3]);
  });

  it('rejects data whose length is not a multiple of dim with INVALID_ARGUMENT', async () => {
    await expect(writeFvecs(tmp.path('x.fvecs'), new Float32Array(10), 3)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe('streaming TEXMEX reads', () => {
  it('yields batches whose concatenation equals the whole-file read', async () => {
    const data = Float32Array.from(pattern(103, 9));
    await writeFvecs(tmp.path('s.fvecs.gz'), data, 9);
    const batches = await collect(streamFvecs(tmp.path('s.fvecs.gz'), { batchRows: 10 }));
    expect(batches.map((b) => b.n)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    expect(batches.map((b) => b.firstRow)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const joined = new Float32Array(103 * 9);
    for (const b of batches) joined.set(b.data, b.firstRow * 9);
    expect(joined).toEqual((await readFvecs(tmp.path('s.fvecs.gz'))).data);
  });

  it('stops reading when the consumer breaks out early', async () => {
    await writeBvecs(tmp.path('big.bvecs'), new Uint8Array(5000 * 16), 16);
    let seen = 0;
    for await (const batch of streamTexmex(tmp.path('big.bvecs'), 'bvecs', { batchRows: 100 })) {
      seen += batch.n;
      if (seen >= 200) break;
    }
    expect(seen).toBe(200);
  });

  it('rejects a non-positive batchRows with INVALID_ARGUMENT', async () => {
    await writeFvecs(tmp.path('a.fvecs'), new Float32Array(4), 2);
    await expect(collect(streamFvecs(tmp.path('a.fvecs'), { batchRows: 0 }))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe('corrupt TEXMEX files', () => {
  const fourRecords = (badDim: number) =>
    texmexBytes(
      [0, 1, 2, 3].map((r) => ({ dim: r === 3 ? badDim : 2, values: r === 3 && badDim === 0 ? [] : [r, r] })),
      4,
    );

  it('names the record and byte offset when a record declares dim 0', async () => {
    const file = await tmp.write('x.fvecs', fourRecords(0));
    const error = await expectFileError(
      () => readFvecs(file),
      'x.fvecs at byte 36: record 3 declares dim 0; expected a positive dimension equal to 2',
    );
    expect(error.position).toEqual({ byteOffset: 36 });
  });

  it('names the record when a record declares a different dim', async () => {
    const file = await tmp.write('x.fvecs', fourRecords(5));
    await expectFileError(() => readFvecs(file), 'at byte 36: record 3 declares dim 5; expected');
  });

  it('rejects a first record that declares a negative dim', async () => {
    const file = await tmp.write('neg.ivecs', texmexBytes([{ dim: -4, values: [] }], 4, false));
    await expectFileError(
      () => readIvecs(file),
      'at byte 0: record 0 declares dim -4; expected a positive dimension',
    );
  });

  it('rejects a truncated last record with its index and the missing length', async () => {
    const whole = texmexBytes(
      [
        { dim: 3, values: [1, 2, 3] },
        { dim: 3, values: [4, 5, 6] },
      ],
      4,
    );
    const file = await tmp.write('cut.fvecs', whole.subarray(0, whole.length - 5));
    await expectFileError(
      () => readFvecs(file),
      'cut.fvecs at byte 16: record 1 is truncated: the file ends after 11 bytes of it; expected 16 bytes',
    );
  });

  it('rejects a header that declares more values than the file holds', async () => {
    const file = await tmp.write('lie.bvecs', texmexBytes([{ dim: 1_000_000, values: [1, 2, 3] }], 1));
    await expectFileError(() => readBvecs(file), 'record 0 is truncated: the file ends after 7 bytes of it');
  });

  it('rejects an empty file', async () => {
    const file = await tmp.write('empty.fvecs', new Uint8Array(0));
    await expectFileError(() => readFvecs(file), 'empty.fvecs at byte 0: file is empty; expected records');
  });

  it('rejects a file too short to hold a dim', async () => {
    const file = await tmp.write('short.fvecs', Uint8Array.of(3, 0));
    await expectFileError(() => readFvecs(file), 'file has only 2 bytes; expected a 4-byte int32 dim');
  });

  it('rejects a truncated gzip stream at the end of the compressed data', async () => {
    const gz = gzipSync(texmexBytes([{ dim: 64, values: pattern(1, 64) }], 4));
    const file = await tmp.write('cut.fvecs.gz', gz.subarray(0, gz.length - 20));
    const error = await expectFileError(
      () => readFvecs(file),
      /gzip data ends early .*expected a complete gzip stream/,
    );
    expect(error.position).toEqual({ byteOffset: gz.length - 20 });
  });

  it('rejects corrupt gzip data', async () => {
    const gz = gzipSync(texmexBytes([{ dim: 64, values: pattern(1, 64) }], 4));
    gz.fill(0xff, 12, 30);
    const file = await tmp.write('bad.fvecs.gz', gz);
    await expectFileError(() => readFvecs(file), /gzip data (is corrupt|ends early)/);
  });

  it('rejects a .gz name whose data is not gzip', async () => {
    const file = await tmp.write('plain.fvecs.gz', texmexBytes([{ dim: 1, values: [1] }], 4));
    await expectFileError(() => readFvecs(file), 'does not start with the gzip magic bytes 1f 8b');
  });

  it('rejects a missing file with INVALID_INPUT_FILE naming the system error', async () => {
    await expectFileError(() => readFvecs(tmp.path('nope.fvecs')), 'cannot be read (ENOENT)');
  });

  it('gives the streaming reader the same errors as the whole-file reader', async () => {
    const bad = await tmp.write('x.fvecs', fourRecords(0));
    await expectFileError(
      () => collect(streamFvecs(bad, { batchRows: 2 })),
      'x.fvecs at byte 36: record 3 declares dim 0',
    );
    const gz = gzipSync(fourRecords(2));
    const cut = await tmp.write('cut.fvecs.gz', gz.subarray(0, gz.length - 6));
    await expectFileError(() => collect(streamFvecs(cut, { batchRows: 1 })), 'gzip data ends early');
    const empty = await tmp.write('empty.fvecs', new Uint8Array(0));
    await expectFileError(() => collect(streamFvecs(empty)), 'file is empty');
  });
});
