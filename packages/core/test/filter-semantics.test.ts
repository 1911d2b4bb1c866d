import { describe, expect, it } from 'vitest';
import { type AttributeSchema, buildAttributeColumns, quantizeAttributes } from '../src/attributes/index.ts';
import { popcount, setBitIndices } from '../src/bitmap/index.ts';
import { compileFilter, evaluateExact, matchExact, parseFilter } from '../src/filter/index.ts';

const schema: AttributeSchema = {
  price: { type: 'number' },
  stock: { type: 'integer' },
  color: { type: 'category' },
  active: { type: 'boolean' },
};

// Row 2 lacks stock and active, row 3 lacks price and color, row 5 lacks everything.
const rows = [
  { price: 10, stock: 5, color: 'red', active: true },
  { price: 20.5, stock: 0, color: 'blue', active: false },
  { price: 30, color: 'green' },
  { stock: 7, active: true },
  { price: 20.5, stock: 5, color: 'red', active: false },
  {},
];
const columns = buildAttributeColumns(rows, schema);
const quantized = quantizeAttributes(columns);

/**
 * The rows the filter matches. Checks on the way that the per-row evaluator, the vectorised one
 * and the code-level compiled filter agree (all attributes here have few distinct values, so codes
 * are exact).
 */
function matching(filter: unknown): number[] {
  const ast = parseFilter(filter, schema);
  const perRow = rows.flatMap((_, i) => (evaluateExact(ast, columns, i) ? [i] : []));
  expect(Array.from(setBitIndices(matchExact(ast, columns)))).toEqual(perRow);
  const compiled = compileFilter(ast, quantized);
  expect(compiled.needsRecheck).toBe(false);
  expect(Array.from(setBitIndices(compiled.candidates()))).toEqual(perRow);
  expect(Array.from(setBitIndices(compiled.sureMatches()))).toEqual(perRow);
  expect(compiled.countCandidates()).toBe(perRow.length);
  return perRow;
}

describe('filter semantics', () => {
  it('reads a bare value as $eq', () => {
    expect(matching({ color: 'red' })).toEqual([0, 4]);
    expect(matching({ price: 20.5 })).toEqual([1, 4]);
  });

  it('ANDs several keys of one object', () => {
    expect(matching({ color: 'red', active: true })).toEqual([0]);
  });

  it('ANDs several operators on one attribute', () => {
    expect(matching({ price: { $gt: 10, $lte: 30 } })).toEqual([1, 2, 4]);
  });

  it('matches the whole table with the empty filter', () => {
    expect(matching({})).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('$eq matches equal values and never a missing one', () => {
    expect(matching({ stock: { $eq: 5 } })).toEqual([0, 4]);
    expect(matching({ active: { $eq: false } })).toEqual([1, 4]);
    expect(matching({ color: { $eq: 'purple' } })).toEqual([]);
  });

  it('$ne matches different values and missing ones', () => {
    expect(matching({ price: { $ne: 20.5 } })).toEqual([0, 2, 3, 5]);
    expect(matching({ color: { $ne: 'red' } })).toEqual([1, 2, 3, 5]);
    expect(matching({ active: { $ne: true } })).toEqual([1, 2, 4, 5]);
  });

  it('$gt, $gte, $lt, $lte compare numbers and never match a missing value', () => {
    expect(matching({ price: { $gt: 20.5 } })).toEqual([2]);
    expect(matching({ price: { $gte: 20.5 } })).toEqual([1, 2, 4]);
    expect(matching({ price: { $lt: 20.5 } })).toEqual([0]);
    expect(matching({ price: { $lte: 20.5 } })).toEqual([0, 1, 4]);
    expect(matching({ stock: { $lt: 100 } })).toEqual([0, 1, 3, 4]);
  });

  it('compares integer attributes with fractional bounds', () => {
    expect(matching({ stock: { $gt: 4.5 } })).toEqual([0, 3, 4]);
    expect(matching({ stock: { $eq: 5.5 } })).toEqual([]);
  });

  it('$in matches listed values and never a missing one', () => {
    expect(matching({ color: { $in: ['red', 'green', 'purple'] } })).toEqual([0, 2, 4]);
    expect(matching({ stock: { $in: [0, 7] } })).toEqual([1, 3]);
    expect(matching({ active: { $in: [true] } })).toEqual([0, 3]);
  });

  it('$nin matches unlisted values and missing ones', () => {
    expect(matching({ color: { $nin: ['red'] } })).toEqual([1, 2, 3, 5]);
    expect(matching({ price: { $nin: [10, 30] } })).toEqual([1, 3, 4, 5]);
  });

  it('$exists tests presence', () => {
    expect(matching({ stock: { $exists: true } })).toEqual([0, 1, 3, 4]);
    expect(matching({ stock: { $exists: false } })).toEqual([2, 5]);
    expect(matching({ color: { $exists: false } })).toEqual([3, 5]);
  });

  it('$and requires every sub-filter and $or any', () => {
    expect(matching({ $and: [{ color: 'red' }, { stock: { $gte: 5 } }, { active: false }] })).toEqual([4]);
    expect(matching({ $or: [{ color: 'blue' }, { stock: 7 }] })).toEqual([1, 3]);
    expect(
      matching({ $or: [{ price: { $lt: 15 } }, { $and: [{ color: 'red' }, { active: false }] }] }),
    ).toEqual([0, 4]);
  });

  it('$not negates the exact result, so it matches rows where the attribute is missing', () => {
    expect(matching({ $not: { price: { $eq: 20.5 } } })).toEqual([0, 2, 3, 5]);
    expect(matching({ $not: { price: { $eq: 20.5 } } })).toEqual(matching({ price: { $ne: 20.5 } }));
    expect(matching({ $not: { price: { $gt: 15 } } })).toEqual([0, 3, 5]);
    expect(matching({ $not: { $not: { color: 'red' } } })).toEqual([0, 4]);
    expect(matching({ $not: { color: 'red', active: false } })).toEqual([0, 1, 2, 3, 5]);
  });

  it('selects rows by rowIds, one result bit per listed row', () => {
    const ast = parseFilter({ color: 'red' }, schema);
    const rowIds = Uint32Array.of(4, 1, 0);
    expect(Array.from(setBitIndices(matchExact(ast, columns, rowIds)))).toEqual([0, 2]);
    expect(Array.from(setBitIndices(compileFilter(ast, quantized).candidates(rowIds), rowIds))).toEqual([
      4, 0,
    ]);
    expect(popcount(compileFilter(ast, quantized).candidates([]))).toBe(0);
    expect(() => matchExact(ast, columns, [6])).toThrow(/rowIds\[0\] is 6/);
    expect(() => evaluateExact(ast, columns, 6)).toThrow(/row is 6/);
  });

  it('rejects a parsed filter applied to data without that attribute', () => {
    const ast = parseFilter({ size: 1 }, { size: { type: 'integer' } });
    expect(() => matchExact(ast, columns)).toThrow(expect.objectContaining({ code: 'INVALID_FILTER' }));
    expect(() => compileFilter(ast, quantized)).toThrow(/no attribute "size"/);
    const wrongType = parseFilter({ color: 1 }, { color: { type: 'number' } });
    expect(() => compileFilter(wrongType, quantized)).toThrow(/does not fit the data/);
  });
});
