import { describe, expect, it } from 'vitest';
import type { AttributeSchema } from '../src/attributes/index.ts';
import { SquashError } from '../src/errors/index.ts';
import { InvalidFilterError, MAX_FILTER_TERMS, parseFilter } from '../src/filter/index.ts';

const schema: AttributeSchema = {
  price: { type: 'number' },
  stock: { type: 'integer' },
  color: { type: 'category' },
  active: { type: 'boolean' },
  'unit price': { type: 'number' },
};

/** Parses and returns the InvalidFilterError it must throw. */
function rejection(filter: unknown): InvalidFilterError {
  try {
    parseFilter(filter, schema);
  } catch (error) {
    if (error instanceof InvalidFilterError) return error;
    throw error;
  }
  throw new Error(`filter was accepted: ${JSON.stringify(filter)}`);
}

function expectRejection(filter: unknown, path: string, message: RegExp): void {
  const error = rejection(filter);
  expect(error.path).toBe(path);
  expect(error.message).toMatch(message);
}

function nestedNots(count: number): unknown {
  let filter: unknown = { price: 1 };
  for (let i = 0; i < count; i++) filter = { $not: filter };
  return filter;
}

describe('parseFilter', () => {
  it('builds the AST: implicit $eq, implicit AND over keys and over operators', () => {
    expect(parseFilter({ color: 'red' }, schema)).toEqual({
      kind: 'compare',
      attribute: 'color',
      operator: '$eq',
      value: 'red',
    });
    expect(parseFilter({ color: 'red', price: { $gte: 1, $lt: 2 } }, schema)).toEqual({
      kind: 'and',
      children: [
        { kind: 'compare', attribute: 'color', operator: '$eq', value: 'red' },
        { kind: 'compare', attribute: 'price', operator: '$gte', value: 1 },
        { kind: 'compare', attribute: 'price', operator: '$lt', value: 2 },
      ],
    });
    expect(parseFilter({ $not: { active: { $exists: false } } }, schema)).toEqual({
      kind: 'not',
      child: { kind: 'exists', attribute: 'active', exists: false },
    });
  });

  it('reads the empty top-level object as a filter that matches every row', () => {
    expect(parseFilter({}, schema)).toEqual({ kind: 'all' });
  });

  it('accepts the deepest and largest filters the limits allow', () => {
    expect(() => parseFilter(nestedNots(7), schema)).not.toThrow();
    const terms = Array.from({ length: MAX_FILTER_TERMS - 1 }, (_, i) => ({ price: i }));
    expect(() => parseFilter({ $or: terms }, schema)).not.toThrow();
  });

  it('raises errors with code INVALID_FILTER that are SquashErrors', () => {
    const error = rejection({ size: 1 });
    expect(error).toBeInstanceOf(SquashError);
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.name).toBe('InvalidFilterError');
  });

  it('rejects a filter on an unknown attribute with INVALID_FILTER', () => {
    expectRejection(
      { size: 1 },
      '$.size',
      /unknown attribute "size"; the schema has price, stock, color, active/,
    );
    expectRejection(
      { $and: [{ price: 1 }, { colour: 'red' }] },
      '$.$and[1].colour',
      /unknown attribute "colour"/,
    );
    expectRejection({ constructor: 1 }, '$.constructor', /unknown attribute "constructor"/);
  });

  it('rejects a value of the wrong type, saying what the attribute needs', () => {
    expectRejection(
      { price: 'cheap' },
      '$.price',
      /"price" is a number attribute and needs a finite number, got string "cheap"/,
    );
    expectRejection({ color: { $eq: 3 } }, '$.color.$eq', /needs a string, got number 3/);
    expectRejection({ active: { $ne: 'yes' } }, '$.active.$ne', /needs true or false/);
    expectRejection(
      { stock: { $in: [1, '2'] } },
      '$.stock.$in[1]',
      /an integer attribute and needs a finite number/,
    );
    expectRejection({ color: null }, '$.color', /\$exists/);
    expectRejection({ color: ['red', 'blue'] }, '$.color', /\$in/);
    expectRejection({ 'unit price': true }, '$["unit price"]', /needs a finite number, got boolean true/);
  });

  it('rejects a range operator on a category or boolean attribute', () => {
    expectRejection(
      { color: { $gt: 'm' } },
      '$.color.$gt',
      /\$gt only applies to number and integer attributes; "color" is a category/,
    );
    expectRejection({ active: { $lte: true } }, '$.active.$lte', /only applies to number and integer/);
  });

  it('rejects unknown operators at the attribute and the filter level', () => {
    expectRejection(
      { price: { $regex: 'x' } },
      '$.price.$regex',
      /unknown operator "\$regex"; allowed on an attribute: \$eq, \$ne/,
    );
    expectRejection({ price: { gt: 1 } }, '$.price.gt', /unknown operator "gt"/);
    expectRejection({ price: { $not: { $eq: 1 } } }, '$.price.$not', /logical operator/);
    expectRejection({ $nor: [{ price: 1 }] }, '$.$nor', /unknown operator "\$nor"; allowed at this level/);
    expectRejection({ $eq: 1 }, '$.$eq', /must be applied to an attribute/);
  });

  it('rejects an empty $in or $nin', () => {
    expectRejection({ color: { $in: [] } }, '$.color.$in', /\$in needs at least one value/);
    expectRejection({ color: { $nin: [] } }, '$.color.$nin', /\$nin needs at least one value/);
  });

  it('rejects a non-array $in or $nin', () => {
    expectRejection(
      { color: { $in: 'red' } },
      '$.color.$in',
      /\$in takes an array of values, got string "red"/,
    );
    expectRejection({ price: { $nin: 3 } }, '$.price.$nin', /takes an array/);
  });

  it('rejects NaN and Infinity values', () => {
    expectRejection({ price: Number.NaN }, '$.price', /NaN is not allowed; "price" needs a finite number/);
    expectRejection({ price: { $lt: Number.POSITIVE_INFINITY } }, '$.price.$lt', /Infinity is not allowed/);
    expectRejection(
      { price: { $in: [1, Number.NEGATIVE_INFINITY] } },
      '$.price.$in[1]',
      /-Infinity is not allowed/,
    );
  });

  it('rejects nesting deeper than 8 filter objects', () => {
    expectRejection(nestedNots(8), `$${'.$not'.repeat(8)}`, /nested 9 levels deep; at most 8 allowed/);
  });

  it('rejects more than 256 terms', () => {
    const terms = Array.from({ length: MAX_FILTER_TERMS }, (_, i) => ({ price: i }));
    expectRejection({ $or: terms }, '$.$or[255].price', /more than 256 terms/);
  });

  it('rejects an empty $and or $or', () => {
    expectRejection({ $and: [] }, '$.$and', /\$and needs at least one filter object/);
    expectRejection({ $or: [] }, '$.$or', /\$or needs at least one filter object/);
    expectRejection({ $or: { price: 1 } }, '$.$or', /takes an array of filter objects, got an object/);
  });

  it('rejects a filter that is not an object', () => {
    expectRejection(null, '$', /a filter must be an object, got null/);
    expectRejection([{ price: 1 }], '$', /got an array/);
    expectRejection('price > 1', '$', /got string/);
    expectRejection({ $and: [{ price: 1 }, 3] }, '$.$and[1]', /got number 3/);
    expectRejection({ $not: [{ price: 1 }] }, '$.$not', /got an array/);
  });

  it('rejects empty objects below the top level and a non-boolean $exists', () => {
    expectRejection({ $and: [{}] }, '$.$and[0]', /empty filter object/);
    expectRejection({ price: {} }, '$.price', /empty operator object/);
    expectRejection(
      { price: { $exists: 1 } },
      '$.price.$exists',
      /\$exists takes true or false, got number 1/,
    );
  });

  it('rejects an invalid schema before looking at the filter', () => {
    expect(() => parseFilter({}, { $bad: { type: 'number' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
