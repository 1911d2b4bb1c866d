import { describe, expect, it } from 'vitest';
import { createScanner } from '../src/distance/create-scanner.ts';
import type { Metric } from '../src/distance/metric.ts';
import { TsVectorScanner } from '../src/distance/ts-scanner.ts';
import { WasmVectorScanner } from '../src/wasm/wasm-scanner.ts';

const base = Float32Array.of(1, 2, 3, 4, 5, 6);

function invalid(argument: string, message: string): unknown {
  return expect.objectContaining({
    name: 'InvalidArgumentError',
    code: 'INVALID_ARGUMENT',
    argument,
    message,
  });
}

describe('createScanner', () => {
  it('returns the requested backend', () => {
    expect(createScanner('l2', base, 3, { backend: 'ts' })).toBeInstanceOf(TsVectorScanner);
    expect(createScanner('l2', base, 3, { backend: 'wasm' })).toBeInstanceOf(WasmVectorScanner);
    expect(createScanner('l2', base, 3, { backend: 'auto' }).backend).toBe('wasm');
    expect(createScanner('l2', base, 3).backend).toBe('wasm');
  });

  it('derives n from base.length / dim', () => {
    for (const backend of ['ts', 'wasm'] as const) {
      expect(createScanner('ip', base, 2, { backend })).toMatchObject({
        n: 3,
        dim: 2,
        metric: 'ip',
        backend,
      });
    }
  });

  it('rejects a dim that is not an integer >= 1', () => {
    for (const dim of [0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createScanner('l2', base, dim)).toThrow(
        invalid('dim', `dim is ${dim}; allowed: an integer >= 1`),
      );
    }
  });

  it('rejects a base whose length is not a multiple of dim', () => {
    expect(() => createScanner('l2', base, 4)).toThrow(
      invalid('base', 'base has 6 values, not a multiple of dim 4; allowed: n * dim values for n rows'),
    );
  });

  it('rejects a base that is not a Float32Array', () => {
    const notFloat32 = Float64Array.from(base) as unknown as Float32Array;
    expect(() => createScanner('l2', notFloat32, 3)).toThrow(
      invalid('base', 'base is a Float64Array; allowed: a Float32Array'),
    );
  });

  it('rejects an unknown metric', () => {
    expect(() => createScanner('euclidean' as Metric, base, 3)).toThrow(
      invalid('metric', 'metric is "euclidean"; allowed: l2, ip, cosine'),
    );
  });

  it('rejects an unknown backend and unknown options', () => {
    expect(() => createScanner('l2', base, 3, { backend: 'gpu' as 'ts' })).toThrow(
      invalid('backend', 'backend is "gpu"; allowed: auto, ts, wasm'),
    );
    expect(() => createScanner('l2', base, 3, { backends: 'ts' } as object)).toThrow(
      invalid('options', 'unknown scanner option "backends"; allowed: backend'),
    );
  });
});
