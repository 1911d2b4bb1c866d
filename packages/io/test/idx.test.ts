import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type IdxArray, readIdx, streamIdx, writeIdx } from '../src/index.ts';
import { collect, expectFileError, useTempDir } from './temp-dir.ts';

const tmp = useTempDir();

/** Big-endian IDX header bytes followed by `body`. */
function idxBytes(typeCode: number, dims: readonly number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  out[2] = typeCode;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  out.set(body, 4 + 4 * dims.length);
  return out;
}

const samples: { type: string; data: IdxArray }[] = [
  { type: 'ubyte', data: Uint8Array.from({ length: 24 }, (_, i) => (i * 37) & 255) },
  { type: 'sbyte', data: Int8Array.from({ length: 24 }, (_, i) => i * 11 - 128) },
  { type: 'short', data: Int16Array.from({ length: 24 }, (_, i) => i * 2731 - 32768) },
  { type: 'int', data: Int32Array.from({ length: 24 }, (_, i) => (i * 2654435761) | 0) },
  { type: 'float', data: Float32Array.from({ length: 24 }, (_, i) => Math.fround(i * 0.1 - 1)) },
  { type: 'double', data: Float64Array.from({ length: 24 }, (_, i) => i / 3 - 4) },
];

describe('IDX round trip', () => {
  for (const { type, data } of samples) {
    for (const gz of [false, true]) {
      it(`reads back ${type} images flattened to rows${gz ? ' from .gz' : ''}`, async () => {
        const file = tmp.path(`x-idx3-${type}${gz ? '.gz' : ''}`);
        await writeIdx(file, data, [4, 3, 2]);
        const read = await readIdx(file);
        expect(read.type).toBe(type);
        expect(read.dims).toEqual([4, 3, 2]);
        expect([read.n, read.dim]).toEqual([4, 6]);
        expect(read.data).toEqual(data);
      });
    }
  }

  it('writes the MNIST label layout: magic 00 00 08 01, big-endian count, then the bytes', async () => {
    await writeIdx(tmp.path('labels.idx1-ubyte'), Uint8Array.of(7, 2, 1), [3]);
    const bytes = new Uint8Array(await readFile(tmp.path('labels.idx1-ubyte')));
    expect(Array.from(bytes)).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
  });

  it('reads 1-D label files as rows of one value', async () => {
    const file = await tmp.write('l.idx', idxBytes(0x08, [5], Uint8Array.of(0, 9, 3, 3, 1)));
    const read = await readIdx(file);
    expect([read.n, read.dim]).toEqual([5, 1]);
    expect(Array.from(read.data)).toEqual([0, 9, 3, 3, 1]);
  });

  it('streams batches whose concatenation equals the whole-file read', async () => {
    const data = Float32Array.from({ length: 57 * 6 }, (_, i) => i * 0.5);
    await writeIdx(tmp.path('s.idx.gz'), data, [57, 2, 3]);
    const batches = await collect(streamIdx(tmp.path('s.idx.gz'), { batchRows: 8 }));
    expect(batches.map((b) => b.n)).toEqual([8, 8, 8, 8, 8, 8, 8, 1]);
    const joined = new Float32Array(data.length);
    for (const b of batches) joined.set(b.data, b.firstRow * 6);
    expect(joined).toEqual((await readIdx(tmp.path('s.idx.gz'))).data);
  });
});

describe('corrupt IDX files', () => {
  it('rejects a magic number that does not start with 00 00', async () => {
    const file = await tmp.write('bad.idx', Uint8Array.of(0x1f, 0x00, 0x08, 0x01, 0, 0, 0, 0));
    await expectFileError(
      () => readIdx(file),
      'bad.idx at byte 0: magic number is 1f 00 08 01; expected an IDX magic',
    );
  });

  it('rejects an unknown element type code', async () => {
    const file = await tmp.write('t.idx', idxBytes(0x0a, [1], Uint8Array.of(1)));
    await expectFileError(
      () => readIdx(file),
      'at byte 2: magic number 00 00 0a 01 has type code 0x0a; expected 0x08 ubyte',
    );
  });

  it('rejects zero dimensions in the magic number', async () => {
    const file = await tmp.write('z.idx', Uint8Array.of(0, 0, 8, 0));
    await expectFileError(
      () => readIdx(file),
      'at byte 3: magic number 00 00 08 00 declares 0 dimensions; expected 1 to 16',
    );
  });

  it('rejects a header cut short before all dimension sizes', async () => {
    const file = await tmp.write('h.idx', idxBytes(0x08, [2, 28, 28], new Uint8Array(0)).subarray(0, 10));
    await expectFileError(
      () => readIdx(file),
      'h.idx at byte 10: header is truncated: the file ends after 10 bytes; expected 16 header bytes',
    );
  });

  it('rejects a header that declares more rows than the file holds', async () => {
    const file = await tmp.write('lie-idx3-ubyte', idxBytes(0x08, [3, 2, 2], new Uint8Array(9)));
    const error = await expectFileError(
      () => readIdx(file),
      'at byte 25: data ends after 9 bytes (2 complete rows); the header declares dims [3, 2, 2] of ubyte, so expected 12 data bytes',
    );
    expect(error.position).toEqual({ byteOffset: 25 });
  });

  it('rejects bytes left over after the declared rows', async () => {
    const file = await tmp.write('extra.idx', idxBytes(0x08, [2], Uint8Array.of(1, 2, 3)));
    await expectFileError(
      () => readIdx(file),
      'extra.idx at byte 10: 1 unexpected byte after the 2 rows the header declares',
    );
  });

  it('rejects a zero-sized row dimension', async () => {
    const file = await tmp.write('zero.idx', idxBytes(0x08, [2, 0], new Uint8Array(0)));
    await expectFileError(
      () => readIdx(file),
      'at byte 8: dimension 1 is 0; expected every row dimension to be positive',
    );
  });

  it('rejects an empty file', async () => {
    const file = await tmp.write('empty.idx', new Uint8Array(0));
    await expectFileError(() => readIdx(file), 'at byte 0: file is empty; expected an IDX header');
  });

  it('rejects a truncated gzip stream', async () => {
    const gz = gzipSync(idxBytes(0x08, [100, 28, 28], new Uint8Array(78400).fill(3)));
    const file = await tmp.write('cut-idx3-ubyte.gz', gz.subarray(0, gz.length >> 1));
    await expectFileError(() => readIdx(file), 'gzip data ends early');
  });

  it('gives the streaming reader the same errors as the whole-file reader', async () => {
    const lie = await tmp.write('lie.idx', idxBytes(0x08, [3, 2, 2], new Uint8Array(9)));
    await expectFileError(
      () => collect(streamIdx(lie, { batchRows: 1 })),
      'at byte 25: data ends after 9 bytes (2 complete rows)',
    );
    const extra = await tmp.write('extra.idx', idxBytes(0x08, [2], Uint8Array.of(1, 2, 3)));
    await expectFileError(() => collect(streamIdx(extra)), 'at byte 10: 1 unexpected byte after the 2 rows');
    const bad = await tmp.write('bad.idx', Uint8Array.of(0, 0, 0x42, 1, 0, 0, 0, 0));
    await expectFileError(() => collect(streamIdx(bad)), 'has type code 0x42');
    const empty = await tmp.write('empty.idx', new Uint8Array(0));
    await expectFileError(() => collect(streamIdx(empty)), 'file is empty');
  });
});
