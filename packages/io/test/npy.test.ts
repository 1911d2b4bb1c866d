import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { readNpy, streamNpy, writeNpy } from '../src/index.ts';
import { numpyFile } from './npy-fixtures.ts';
import { collect, expectFileError, pattern, useTempDir } from './temp-dir.ts';

const tmp = useTempDir();

/** A v1 header with an arbitrary dict, for corrupt-header cases. */
function npyWithDict(dict: string, body = new Uint8Array(0)): Uint8Array {
  const text = `${dict}\n`;
  const out = new Uint8Array(10 + text.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(new TextEncoder().encode(text), 10);
  out.set(body, 10 + text.length);
  return out;
}

describe('reading files numpy wrote', () => {
  it('reads a float32 matrix', async () => {
    const read = await readNpy(await tmp.write('f4.npy', numpyFile('f4')));
    expect([read.n, read.dim, read.dtype]).toEqual([2, 3, '<f4']);
    expect(Array.from(read.data)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('narrows float64 to float32', async () => {
    const read = await readNpy(await tmp.write('f8.npy', numpyFile('f8')));
    expect(read.data).toBeInstanceOf(Float32Array);
    expect(read.dtype).toBe('<f8');
    expect(Array.from(read.data)).toEqual([0.1, -2.5, 1e-3, 3].map(Math.fround));
  });

  it('reads uint8 and 1-D int32 arrays', async () => {
    const u1 = await readNpy(await tmp.write('u1.npy', numpyFile('u1')));
    expect(u1.data).toEqual(Uint8Array.of(0, 255, 7));
    const i4 = await readNpy(await tmp.write('i4.npy', numpyFile('i4')));
    expect([i4.n, i4.dim, i4.shape]).toEqual([3, 1, [3]]);
    expect(i4.data).toEqual(Int32Array.of(3, -1, 7));
  });

  it('reads format versions 2.0 and 3.0', async () => {
    for (const version of ['v2', 'v3'] as const) {
      const read = await readNpy(await tmp.write(`${version}.npy`, numpyFile(version)));
      expect([read.n, read.dim]).toEqual([2, 2]);
      expect(Array.from(read.data)).toEqual([0, 1, 2, 3]);
    }
  });
});

describe('npy round trip', () => {
  it('writes the same bytes numpy writes', async () => {
    await writeNpy(tmp.path('a.npy'), Float32Array.of(0, 0.25, 0.5, 0.75, 1, 1.25), [2, 3]);
    expect(new Uint8Array(await readFile(tmp.path('a.npy')))).toEqual(numpyFile('f4'));
    await writeNpy(tmp.path('b.npy'), Int32Array.of(3, -1, 7), [3]);
    expect(new Uint8Array(await readFile(tmp.path('b.npy')))).toEqual(numpyFile('i4'));
    await writeNpy(tmp.path('c.npy'), Float32Array.of(0, 1, 2, 3), [2, 2], { version: 2 });
    expect(new Uint8Array(await readFile(tmp.path('c.npy')))).toEqual(numpyFile('v2'));
  });

  for (const version of [1, 2, 3] as const) {
    for (const name of ['m.npy', 'm.npy.gz']) {
      it(`reads back float32, uint8 and int32 matrices (v${version}, ${name})`, async () => {
        const f32 = Float32Array.from(pattern(21, 5));
        await writeNpy(tmp.path(name), f32, [21, 5], { version });
        expect((await readNpy(tmp.path(name))).data).toEqual(f32);
        const u8 = Uint8Array.from({ length: 30 }, (_, i) => i * 8);
        await writeNpy(tmp.path(name), u8, [10, 3], { version });
        expect((await readNpy(tmp.path(name))).data).toEqual(u8);
        const i32 = Int32Array.from({ length: 12 }, (_, i) => -i * 1000003);
        await writeNpy(tmp.path(name), i32, [12], { version });
        expect((await readNpy(tmp.path(name))).data).toEqual(i32);
      });
    }
  }

  it('reads back float64 as the nearest float32', async () => {
    const f64 = Float64Array.from(pattern(4, 4, 1 / 3));
    await writeNpy(tmp.path('d.npy'), f64, [4, 4]);
    expect((await readNpy(tmp.path('d.npy'))).data).toEqual(Float32Array.from(f64));
  });

  it('rejects a shape that does not match the data with INVALID_ARGUMENT', async () => {
    await expect(writeNpy(tmp.path('x.npy'), new Float32Array(10), [3, 3])).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('streams batches whose concatenation equals the whole-file read', async () => {
    const data = Float32Array.from(pattern(45, 7));
    await writeNpy(tmp.path('s.npy.gz'), data, [45, 7], { version: 2 });
    const batches = await collect(streamNpy(tmp.path('s.npy.gz'), { batchRows: 10 }));
    expect(batches.map((b) => [b.firstRow, b.n])).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
      [30, 10],
      [40, 5],
    ]);
    const joined = new Float32Array(data.length);
    for (const b of batches) joined.set(b.data, b.firstRow * 7);
    expect(joined).toEqual(data);
  });
});

describe('corrupt npy files', () => {
  it('rejects Fortran-order arrays and says how to fix them', async () => {
    const file = await tmp.write('f.npy', numpyFile('fortran'));
    await expectFileError(() => readNpy(file), 'fortran_order is True; expected False (C order)');
  });

  it('rejects an unsupported dtype and lists the supported ones', async () => {
    const file = await tmp.write('h.npy', numpyFile('f2'));
    await expectFileError(
      () => readNpy(file),
      'h.npy at byte 10: dtype <f2 is not supported; expected one of <f4, <f8, |u1, <i4',
    );
  });

  it('rejects big-endian data', async () => {
    const file = await tmp.write(
      'be.npy',
      npyWithDict("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1), }"),
    );
    await expectFileError(() => readNpy(file), 'dtype >f4 is not supported');
  });

  it('rejects a file without the npy magic', async () => {
    const file = await tmp.write('m.npy', new TextEncoder().encode('PK\u0003\u0004 this is a zip'));
    await expectFileError(() => readNpy(file), 'm.npy at byte 0: file does not start with the .npy magic');
  });

  it('rejects an unknown format version', async () => {
    const bytes = numpyFile('f4');
    bytes[6] = 4;
    await expectFileError(
      async () => readNpy(await tmp.write('v.npy', bytes)),
      'at byte 6: .npy format version 4.0; expected 1.0, 2.0 or 3.0',
    );
  });

  it('rejects a header dict cut short', async () => {
    const file = await tmp.write('t.npy', numpyFile('f4').subarray(0, 50));
    await expectFileError(
      () => readNpy(file),
      'at byte 50: header is truncated: the preamble declares a 118-byte header dict',
    );
  });

  it('rejects a header dict without a shape', async () => {
    const file = await tmp.write('d.npy', npyWithDict("{'descr': '<f4', 'fortran_order': False, }"));
    await expectFileError(() => readNpy(file), 'lacks descr, fortran_order or shape');
  });

  it('rejects a shape that declares more data than the file holds', async () => {
    const bytes = numpyFile('f4');
    const file = await tmp.write('lie.npy', bytes.subarray(0, bytes.length - 3));
    await expectFileError(
      () => readNpy(file),
      'lie.npy at byte 149: data ends after 21 bytes (1 complete rows); the header declares shape (2, 3) of <f4, so expected 24 data bytes',
    );
  });

  it('rejects bytes after the declared data', async () => {
    const bytes = numpyFile('u1');
    const file = await tmp.write('x.npy', Uint8Array.from([...bytes, 1, 2]));
    await expectFileError(
      () => readNpy(file),
      'at byte 131: 2 unexpected bytes after the 1 rows the header declares',
    );
  });

  it('rejects arrays of three or more dimensions', async () => {
    const file = await tmp.write(
      '3d.npy',
      npyWithDict("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }"),
    );
    await expectFileError(
      () => readNpy(file),
      'shape (2, 2, 2) has 3 dimensions; expected 1 (labels) or 2 (n, dim)',
    );
  });

  it('rejects an empty file', async () => {
    const file = await tmp.write('e.npy', new Uint8Array(0));
    await expectFileError(() => readNpy(file), 'at byte 0: file is empty; expected the .npy magic');
  });

  it('rejects a truncated gzip stream', async () => {
    const gz = gzipSync(numpyFile('f8'));
    const file = await tmp.write('c.npy.gz', gz.subarray(0, gz.length - 4));
    await expectFileError(() => readNpy(file), 'gzip data ends early');
  });

  it('gives the streaming reader the same errors as the whole-file reader', async () => {
    const fortran = await tmp.write('f.npy', numpyFile('fortran'));
    await expectFileError(() => collect(streamNpy(fortran)), 'fortran_order is True');
    const bytes = numpyFile('f4');
    const lie = await tmp.write('lie.npy', bytes.subarray(0, bytes.length - 3));
    await expectFileError(
      () => collect(streamNpy(lie, { batchRows: 1 })),
      'lie.npy at byte 149: data ends after 21 bytes',
    );
    const cut = await tmp.write('t.npy', bytes.subarray(0, 50));
    await expectFileError(() => collect(streamNpy(cut)), 'at byte 50: header is truncated');
    const tiny = await tmp.write('tiny.npy', bytes.subarray(0, 7));
    await expectFileError(() => collect(streamNpy(tiny)), 'file has only 7 bytes; expected a .npy version');
  });
});
