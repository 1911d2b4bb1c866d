import { buildAttributeColumns, quantizeAttributes } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { quantizeNewRows, unencodableReason } from '../src/attribute-codes.ts';

const schema = { size: { type: 'number' }, color: { type: 'category' }, on: { type: 'boolean' } } as const;
const base = quantizeAttributes(
  buildAttributeColumns(
    [{ size: 1, color: 'red', on: true }, { size: 5, color: 'blue', on: false }, { color: 'red' }],
    schema,
  ),
);

describe('quantizeNewRows', () => {
  it('keeps surviving rows codes and codes new rows in the base cells, widening the nearest cell', () => {
    // new rows 0 (size 3: between the cells), 1 (10: above), 3 (-1: below); row 2 is base row 1
    const values = [
      { size: 3, color: 'blue', on: true },
      { size: 10, color: 'red' },
      {},
      { size: -1, on: false },
    ];
    const q = quantizeNewRows(base, 4, Int32Array.from([-1, -1, 1, -1]), (row) => values[row]!);
    const size = q.attributes.get('size')!;
    if (!('cellLower' in size)) throw new Error('size is numeric');
    expect(Array.from(size.cellLower)).toEqual([-1, 3]);
    expect(Array.from(size.cellUpper)).toEqual([1, 10]);
    expect(size.exact).toBe(false);
    expect(Array.from(size.codes)).toEqual([1, 1, 1, 0]);
    // each value lies within its cell's bounds, so range filters on codes stay supersets
    values.forEach((v, row) => {
      if (v.size !== undefined) {
        expect(size.cellLower[size.codes[row]!]!).toBeLessThanOrEqual(v.size);
        expect(size.cellUpper[size.codes[row]!]!).toBeGreaterThanOrEqual(v.size);
      }
    });
    expect(Array.from(q.attributes.get('color')!.codes)).toEqual([0, 1, 0, 2]);
    expect(Array.from(q.attributes.get('on')!.codes)).toEqual([1, 2, 0, 0]);
  });
});

describe('unencodableReason', () => {
  const manifest = {
    schema,
    columns: [
      { name: 'size', type: 'number', cellCount: 2, missingCode: 2, exact: true },
      { name: 'color', type: 'category', dictionary: ['blue', 'red'], codeBits: 8 },
      { name: 'on', type: 'boolean' },
    ],
  } as const;

  it('accepts known categories, any number and missing values', () => {
    expect(
      unencodableReason(manifest, [{ attributes: { size: 1e9, color: 'red', on: null } }]),
    ).toBeUndefined();
  });

  it('names a category value outside the dictionary and an attribute the base lacks', () => {
    expect(unencodableReason(manifest, [{ attributes: { color: 'green' } }])).toMatch(
      /category "color" value "green" is not in the base's dictionary/,
    );
    expect(unencodableReason(manifest, [{ attributes: { weight: 2 } }])).toMatch(/no attribute "weight"/);
    expect(unencodableReason(null, [{ attributes: { size: 2 } }])).toMatch(/no attribute "size"/);
  });
});
