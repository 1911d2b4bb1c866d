import { describe, expect, it } from 'vitest';
import {
  type AttributeColumns,
  buildAttributeColumns,
  gatherQuantizedRows,
  lloydMax1d,
  type QuantizedNumericAttribute,
  quantizeAttributes,
} from '../src/attributes/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

function numericColumns(
  values: Array<number | undefined>,
  type: 'number' | 'integer' = 'number',
): AttributeColumns {
  return buildAttributeColumns(
    values.map((v) => ({ x: v })),
    { x: { type } },
  );
}

function numericAttribute(columns: AttributeColumns, options = {}): QuantizedNumericAttribute {
  const attribute = quantizeAttributes(columns, options).attributes.get('x');
  if (attribute === undefined || (attribute.type !== 'number' && attribute.type !== 'integer')) {
    throw new Error('expected a numeric attribute');
  }
  return attribute;
}

function skewedValues(n: number, seed: number, missingRate = 0.1): Array<number | undefined> {
  const random = new SeededRandom(seed);
  return Array.from({ length: n }, () =>
    random.nextFloat() < missingRate ? undefined : Math.exp(2 * random.nextGaussian()) * 100,
  );
}

/** Rows whose code is not the missing code exactly when the value is missing, or whose value is outside its cell. */
function outOfBounds(attribute: QuantizedNumericAttribute, values: Array<number | undefined>): number[] {
  return values.flatMap((v, i) => {
    const code = attribute.codes[i]!;
    if (v === undefined) return code === attribute.missingCode ? [] : [i];
    const inside =
      code < attribute.cellCount && attribute.cellLower[code]! <= v && v <= attribute.cellUpper[code]!;
    return inside ? [] : [i];
  });
}

describe('lloydMax1d', () => {
  it('separates two clusters with a threshold between them', () => {
    const sorted = Float64Array.of(0, 0, 0, 1, 1, 1, 10, 10, 11, 11);
    const { thresholds, centroids } = lloydMax1d(sorted, { maxCells: 2 });
    expect(thresholds.length).toBe(1);
    expect(thresholds[0]).toBeGreaterThan(1);
    expect(thresholds[0]).toBeLessThan(10);
    expect(Array.from(centroids)).toEqual([0.5, 10.5]);
  });

  it('never ends with more distortion than its equal-population start', () => {
    const random = new SeededRandom(7);
    const sorted = Float64Array.from({ length: 20_000 }, () => random.nextGaussian() ** 3).sort();
    const start = lloydMax1d(sorted, { maxCells: 16, maxIterations: 0 });
    const trained = lloydMax1d(sorted, { maxCells: 16 });
    expect(start.iterations).toBe(0);
    expect(trained.iterations).toBeGreaterThan(0);
    expect(trained.iterations).toBeLessThanOrEqual(250);
    expect(trained.distortion).toBeLessThan(start.distortion * 0.9);
    for (let c = 1; c < trained.thresholds.length; c++) {
      expect(trained.thresholds[c]).toBeGreaterThan(trained.thresholds[c - 1]!);
    }
  });

  it('stops at maxIterations', () => {
    const random = new SeededRandom(8);
    const sorted = Float64Array.from({ length: 5000 }, () => random.nextGaussian() ** 3).sort();
    expect(lloydMax1d(sorted, { maxCells: 32, maxIterations: 3, relativeTolerance: 0 }).iterations).toBe(3);
  });
});

describe('quantizeAttributes', () => {
  it('gives integers with few distinct values one exact cell per value', () => {
    const random = new SeededRandom(1);
    const values = Array.from({ length: 5000 }, () =>
      random.nextFloat() < 0.05 ? undefined : random.nextInt(100) - 50,
    );
    const attribute = numericAttribute(numericColumns(values, 'integer'));
    expect(attribute.exact).toBe(true);
    expect(attribute.cellCount).toBe(100);
    expect(attribute.missingCode).toBe(100);
    expect(Array.from(attribute.codes)).toEqual(values.map((v) => (v === undefined ? 100 : v + 50)));
    expect(Array.from(attribute.cellLower)).toEqual(Array.from({ length: 100 }, (_, c) => c - 50));
    expect(attribute.cellUpper).toEqual(attribute.cellLower);
    expect(outOfBounds(attribute, values)).toEqual([]);
  });

  it('codes continuous values into at most maxCells ordered, disjoint cells whose bounds hold every value', () => {
    const values = skewedValues(20_000, 2);
    for (const maxCells of [255, 16, 1]) {
      const attribute = numericAttribute(numericColumns(values), { maxCells });
      expect(attribute.exact).toBe(false);
      expect(attribute.cellCount).toBeLessThanOrEqual(maxCells);
      expect(attribute.cellCount).toBeGreaterThan(maxCells * 0.9);
      for (let c = 1; c < attribute.cellCount; c++) {
        expect(attribute.cellLower[c]!).toBeGreaterThan(attribute.cellUpper[c - 1]!);
      }
      expect(outOfBounds(attribute, values)).toEqual([]);
    }
  });

  it('is deterministic: the same column and seed give identical codes and bounds', () => {
    const columns = numericColumns(skewedValues(30_000, 3));
    for (const options of [{}, { maxTrainingValues: 2000, seed: 42 }]) {
      const a = numericAttribute(columns, options);
      const b = numericAttribute(columns, options);
      expect(b.codes).toEqual(a.codes);
      expect(b.cellLower).toEqual(a.cellLower);
      expect(b.cellUpper).toEqual(a.cellUpper);
    }
  });

  it('trains on a seeded sample and still bounds every row', () => {
    const values = skewedValues(30_000, 4, 0);
    const attribute = numericAttribute(numericColumns(values), { maxTrainingValues: 1000, seed: 9 });
    expect(outOfBounds(attribute, values)).toEqual([]);
  });

  it('keeps category dictionary codes, in uint8 up to 255 values and uint16 beyond, with the missing code last', () => {
    const small = quantizeAttributes(
      buildAttributeColumns([{ c: 'b' }, {}, { c: 'a' }], { c: { type: 'category' } }),
    ).attributes.get('c');
    expect(small?.type === 'category' && small.codes).toEqual(Uint8Array.of(1, 2, 0));
    expect(small?.type === 'category' && small.missingCode).toBe(2);
    const rows = Array.from({ length: 300 }, (_, i) => ({ c: `v${String(i).padStart(3, '0')}` }));
    rows.push({} as { c: string });
    const large = quantizeAttributes(buildAttributeColumns(rows, { c: { type: 'category' } })).attributes.get(
      'c',
    );
    expect(large?.codes).toBeInstanceOf(Uint16Array);
    expect(large?.codes[299]).toBe(299);
    expect(large?.codes[300]).toBe(300);
    expect(large?.missingCode).toBe(300);
  });

  it('rejects a category with more than 65 535 distinct values', () => {
    const rows = Array.from({ length: 65_536 }, (_, i) => ({ c: String(i) }));
    const columns = buildAttributeColumns(rows, { c: { type: 'category' } });
    expect(() => quantizeAttributes(columns)).toThrow(/65536 distinct values; at most 65535/);
  });

  it('codes booleans as 0 false, 1 true, 2 missing', () => {
    const q = quantizeAttributes(
      buildAttributeColumns([{ b: true }, { b: false }, {}], { b: { type: 'boolean' } }),
    );
    expect(q.attributes.get('b')?.codes).toEqual(Uint8Array.of(1, 0, 2));
  });

  it('gathers the codes of selected rows and shares cells', () => {
    const q = quantizeAttributes(numericColumns([5, 1, undefined, 3]));
    const gathered = gatherQuantizedRows(q, [3, 2, 0]);
    expect(gathered.rowCount).toBe(3);
    const attribute = gathered.attributes.get('x') as QuantizedNumericAttribute;
    expect(Array.from(attribute.codes)).toEqual([1, 3, 2]);
    expect(attribute.cellLower).toBe((q.attributes.get('x') as QuantizedNumericAttribute).cellLower);
    expect(() => gatherQuantizedRows(q, [4])).toThrow(/rowIds\[0\] is 4/);
  });

  it('rejects maxCells outside 1..255', () => {
    expect(() => quantizeAttributes(numericColumns([1]), { maxCells: 256 })).toThrow(/1\.\.255/);
  });
});
