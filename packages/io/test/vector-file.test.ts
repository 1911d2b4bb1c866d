import { describe, expect, it } from 'vitest';
import {
  detectVectorFormat,
  readVectors,
  streamVectors,
  type VectorFormat,
  writeBvecs,
  writeFvecs,
  writeIdx,
  writeIvecs,
  writeJsonl,
  writeNpy,
} from '../src/index.ts';
import { collect, expectFileError, useTempDir } from './temp-dir.ts';

const tmp = useTempDir();

const N = 23;
const DIM = 12;
/** Small integers so every format (uint8 included) holds them exactly. */
const values = Uint8Array.from({ length: N * DIM }, (_, i) => (i * 37) % 251);
const asFloat = Float32Array.from(values);

const writers: Record<string, (file: string) => Promise<void>> = {
  'v.fvecs': (f) => writeFvecs(f, asFloat, DIM),
  'v.ivecs': (f) => writeIvecs(f, Int32Array.from(values), DIM),
  'v.bvecs.gz': (f) => writeBvecs(f, values, DIM),
  'v.npy': (f) => writeNpy(f, values, [N, DIM]),
  'v.npy.gz': (f) => writeNpy(f, Float64Array.from(values), [N, DIM]),
  'train-images-idx3-ubyte.gz': (f) => writeIdx(f, values, [N, 3, 4]),
  'v.idx': (f) => writeIdx(f, Int16Array.from(values), [N, DIM]),
  'v.jsonl': (f) =>
    writeJsonl(
      f,
      Array.from({ length: N }, (_, i) => ({
        id: `r${i}`,
        vector: asFloat.subarray(i * DIM, (i + 1) * DIM),
      })),
    ),
};

describe('readVectors', () => {
  for (const [name, write] of Object.entries(writers)) {
    it(`returns the same float32 rows from ${name}`, async () => {
      await write(tmp.path(name));
      const read = await readVectors(tmp.path(name));
      expect([read.n, read.dim]).toEqual([N, DIM]);
      expect(read.data).toBeInstanceOf(Float32Array);
      expect(read.data).toEqual(asFloat);
    });

    it(`streams ${name} in batches equal to the whole-file read`, async () => {
      await write(tmp.path(name));
      const batches = await collect(streamVectors(tmp.path(name), { batchRows: 5 }));
      expect(batches.map((b) => b.n)).toEqual([5, 5, 5, 5, 3]);
      const joined = new Float32Array(N * DIM);
      for (const b of batches) joined.set(b.data, b.firstRow * DIM);
      expect(joined).toEqual(asFloat);
    });
  }

  it('returns JSONL ids and attributes alongside the rows', async () => {
    await writeJsonl(tmp.path('a.ndjson'), [{ id: 7, vector: [1, 2], attributes: { color: 'red' } }]);
    const read = await readVectors(tmp.path('a.ndjson'));
    expect(read.format).toBe('jsonl');
    expect(read.ids).toEqual([7]);
    expect(read.attributes).toEqual([{ color: 'red' }]);
  });

  it('rejects an unrecognised extension', async () => {
    await expectFileError(
      () => readVectors(tmp.path('vectors.csv')),
      'unrecognised file extension; expected .fvecs',
    );
  });
});

describe('detectVectorFormat', () => {
  const cases: [string, VectorFormat][] = [
    ['/d/base.fvecs', 'fvecs'],
    ['GT.IVECS.GZ', 'ivecs'],
    ['sift/bigann_base.bvecs', 'bvecs'],
    ['x.npy.gz', 'npy'],
    ['x.ndjson', 'jsonl'],
    ['train-images-idx3-ubyte.gz', 'idx'],
    ['t10k-labels.idx1-ubyte', 'idx'],
    ['labels.idx', 'idx'],
  ];
  for (const [path, format] of cases) {
    it(`reads ${path} as ${format}`, () => {
      expect(detectVectorFormat(path)).toBe(format);
    });
  }
});
