import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors/index.ts';
import { decodeFloat32Base64, encodeFloat32Base64 } from '../src/leanvec/float32-base64.ts';
import {
  fitLeanVec,
  type LeanVecModel,
  leanVecFromJSON,
  leanVecToJSON,
  projectQuery,
} from '../src/leanvec/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

function gaussianRows(n: number, dim: number, seed: number, offset: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: n * dim }, (_, i) => offset + random.nextGaussian() * (1 + (i % dim)));
}

const DIM = 12;
const DATA = gaussianRows(300, DIM, 1, 0.5);
const QUERIES = gaussianRows(100, DIM, 2, -0.5);

function roundTrip(model: LeanVecModel): LeanVecModel {
  return leanVecFromJSON(JSON.parse(JSON.stringify(leanVecToJSON(model))));
}

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

describe('leanVecToJSON / leanVecFromJSON', () => {
  it.for([
    { metric: 'l2', queries: false },
    { metric: 'ip', queries: false },
    { metric: 'cosine', queries: true },
    { metric: 'ip', queries: true },
  ] as const)(
    'restores a $metric model (queries: $queries) bit for bit through JSON text',
    ({ metric, queries }) => {
      const model = fitLeanVec(DATA, 300, DIM, {
        metric,
        outputDim: 5,
        ...(queries ? { queries: { data: QUERIES, n: 100 } } : {}),
      });
      const restored = roundTrip(model);
      expect(restored).toEqual(model);
      expect(bits(restored.dataProjection)).toEqual(bits(model.dataProjection));
      expect(bits(restored.queryProjection)).toEqual(bits(model.queryProjection));
      const query = QUERIES.subarray(0, DIM);
      expect(bits(projectQuery(restored, query))).toEqual(bits(projectQuery(model, query)));
    },
  );

  it('stores one projection for LeanVec-ID and shares it after restoring', () => {
    const model = fitLeanVec(DATA, 300, DIM, { metric: 'l2', outputDim: 3 });
    const json = leanVecToJSON(model);
    expect(json.queryProjection).toBeUndefined();
    expect(json.mean).toHaveLength(DIM);
    const restored = leanVecFromJSON(json);
    expect(restored.queryProjection).toBe(restored.dataProjection);
  });

  it('rejects malformed JSON, naming the field', () => {
    const good = leanVecToJSON(
      fitLeanVec(DATA, 300, DIM, { metric: 'cosine', outputDim: 4, queries: { data: QUERIES, n: 100 } }),
    );
    const idJson = leanVecToJSON(fitLeanVec(DATA, 300, DIM, { metric: 'l2', outputDim: 4 }));
    const cases: [unknown, RegExp][] = [
      [null, /must be an object/],
      [{ ...good, version: 2 }, /version 2/],
      [{ ...good, kind: 'pca' }, /json.kind is "pca"/],
      [{ ...good, metric: 'hamming' }, /json.metric is "hamming"/],
      [{ ...good, outputDim: DIM + 1 }, /json.outputDim is 13; allowed: an integer 1..12/],
      [{ ...good, mean: [1] }, /json.mean must be null/],
      [{ ...idJson, mean: null }, /json.mean must be an array of 12 numbers/],
      [{ ...good, dataProjection: good.dataProjection.slice(0, -16) }, /json.dataProjection holds 45 values/],
      [{ ...good, queryProjection: undefined }, /json.queryProjection is not base64/],
      [{ ...good, dataProjection: `*${good.dataProjection.slice(1)}` }, /json.dataProjection has "\*" at 0/],
      [{ ...idJson, queryProjection: idJson.dataProjection }, /must be omitted for kind id/],
      [{ ...good, metric: 'l2', mean: new Array(DIM).fill(0) }, /ood with metric 'l2'/],
    ];
    for (const [json, message] of cases) {
      expect(() => leanVecFromJSON(json)).toThrow(InvalidArgumentError);
      expect(() => leanVecFromJSON(json)).toThrow(message);
    }
  });
});

describe('float32 base64 codec', () => {
  it('round-trips any float32 values exactly, including -0, NaN bits and every padding length', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noDefaultInfinity: false }), { maxLength: 40 }), (values) => {
        const original = Float32Array.from(values);
        expect(bits(decodeFloat32Base64(encodeFloat32Base64(original), 'x'))).toEqual(bits(original));
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(encodeFloat32Base64(Float32Array.of(1))).toBe('AACAPw==');
    expect(decodeFloat32Base64('', 'x').length).toBe(0);
  });

  it('rejects text that is not a whole number of float32 values', () => {
    expect(() => decodeFloat32Base64('AAA=', 'x')).toThrow(/decodes to 2 bytes/);
    expect(() => decodeFloat32Base64('AACAP', 'x')).toThrow(/multiple of 4/);
  });
});
