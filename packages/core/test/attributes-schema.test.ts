import { describe, expect, it } from 'vitest';
import {
  type AttributeSchema,
  BOOLEAN_MISSING,
  buildAttributeColumns,
  inferSchema,
  validateAttributeSchema,
} from '../src/attributes/index.ts';

const schema: AttributeSchema = {
  price: { type: 'number' },
  stock: { type: 'integer' },
  color: { type: 'category' },
  active: { type: 'boolean' },
};

describe('validateAttributeSchema', () => {
  it('accepts the four attribute types and returns a frozen copy', () => {
    const checked = validateAttributeSchema(schema);
    expect(checked).toEqual(schema);
    expect(Object.isFrozen(checked)).toBe(true);
  });

  it.each([
    ['a non-object schema', [], /must be an object/],
    ['an empty name', { '': { type: 'number' } }, /empty/],
    ['a name starting with $', { $price: { type: 'number' } }, /reserved for filter operators/],
    ['an unknown type', { price: { type: 'float' } }, /allowed: number, integer, category, boolean/],
    ['a spec that is not an object', { price: 'number' }, /must be \{ type/],
    ['an unknown key in a spec', { price: { type: 'number', index: true } }, /unknown key "index"/],
  ])('rejects %s with INVALID_ARGUMENT', (_, input, message) => {
    expect(() => validateAttributeSchema(input)).toThrow(message);
    expect(() => validateAttributeSchema(input)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('inferSchema', () => {
  it('infers integer, number, category and boolean from the present values', () => {
    const inferred = inferSchema([
      { n: 1, x: 1, s: 'a', b: true },
      { n: 2, x: 1.5, s: null, b: false },
      { n: undefined, x: -3 },
    ]);
    expect(inferred).toEqual({
      n: { type: 'integer' },
      x: { type: 'number' },
      s: { type: 'category' },
      b: { type: 'boolean' },
    });
  });

  it('rejects an attribute that mixes kinds, naming the attribute and the row', () => {
    expect(() => inferSchema([{ a: 1 }, { a: 2 }, { a: 'x' }])).toThrow(/attribute "a" mixes kinds: row 2/);
  });

  it('rejects an attribute without any value', () => {
    expect(() => inferSchema([{ a: null }, {}])).toThrow(/"a" has no value in any row/);
  });

  it('rejects non-finite numbers, arrays and operator-like names', () => {
    expect(() => inferSchema([{ a: Number.NaN }])).toThrow(
      /row 0, attribute "a": NaN is not a finite number/,
    );
    expect(() => inferSchema([{ a: ['x'] }])).toThrow(/not a number, string or boolean/);
    expect(() => inferSchema([{ $a: 1 }])).toThrow(/reserved/);
  });
});

describe('buildAttributeColumns', () => {
  const rows = [
    { price: 10, stock: 5, color: 'red', active: true },
    { price: 2.5, color: 'blue', active: false },
    { stock: 7, color: null },
  ];

  it('stores numbers with NaN, categories as sorted dictionary codes with -1, booleans with 255 for missing', () => {
    const columns = buildAttributeColumns(rows, schema);
    expect(columns.rowCount).toBe(3);
    const price = columns.columns.get('price');
    const stock = columns.columns.get('stock');
    const color = columns.columns.get('color');
    const active = columns.columns.get('active');
    expect(price?.type === 'number' && Array.from(price.values)).toEqual([10, 2.5, Number.NaN]);
    expect(stock?.type === 'integer' && Array.from(stock.values)).toEqual([5, Number.NaN, 7]);
    expect(color?.type === 'category' && color.dictionary).toEqual(['blue', 'red']);
    expect(color?.type === 'category' && Array.from(color.codes)).toEqual([1, 0, -1]);
    expect(active?.type === 'boolean' && Array.from(active.values)).toEqual([1, 0, BOOLEAN_MISSING]);
  });

  it('rejects a value of the wrong type, naming the row and the attribute', () => {
    expect(() => buildAttributeColumns([{ price: 1 }, { price: '3' }], schema)).toThrow(
      'row 1, attribute "price": expected a finite number, got string "3"',
    );
    expect(() => buildAttributeColumns([{ stock: 1.5 }], schema)).toThrow(
      /row 0, attribute "stock": expected an integer/,
    );
    expect(() => buildAttributeColumns([{ color: 3 }], schema)).toThrow(
      /row 0, attribute "color": expected a string/,
    );
    expect(() => buildAttributeColumns([{ active: 'yes' }], schema)).toThrow(/expected a boolean/);
    expect(() => buildAttributeColumns([{ price: Number.POSITIVE_INFINITY }], schema)).toThrow(/finite/);
  });

  it('rejects keys the schema does not declare unless told to ignore them', () => {
    expect(() => buildAttributeColumns([{ size: 3 }], schema)).toThrow(/row 0 has attribute "size"/);
    const columns = buildAttributeColumns([{ size: 3, price: 1 }], schema, { unknownAttributes: 'ignore' });
    expect([...columns.columns.keys()]).toEqual(['price', 'stock', 'color', 'active']);
  });

  it('treats inherited property names as missing values, not as row values', () => {
    const parsed: AttributeSchema = JSON.parse('{ "constructor": { "type": "category" } }');
    const columns = buildAttributeColumns([{}], parsed);
    const column = columns.columns.get('constructor');
    expect(column?.type === 'category' && Array.from(column.codes)).toEqual([-1]);
  });
});
