import { InvalidArgumentError } from '../errors/index.ts';
import {
  type AttributeSchema,
  describeJson,
  isPlainObject,
  ownValue,
  validateAttributeSchema,
} from './attribute-schema.ts';
import { buildCategoryDictionary, categoryCode } from './category-dictionary.ts';

/** Raw values of a `number` or `integer` attribute; NaN marks a row without a value. */
export interface NumericColumn {
  readonly type: 'number' | 'integer';
  readonly values: Float64Array;
}

/** A `category` attribute: sorted distinct strings and one code per row; -1 marks a missing value. */
export interface CategoryColumn {
  readonly type: 'category';
  readonly dictionary: readonly string[];
  readonly codes: Int32Array;
}

/** Sentinel in `BooleanColumn.values` for a row without a value. */
export const BOOLEAN_MISSING = 255;

/** A `boolean` attribute: 0 (false), 1 (true) or `BOOLEAN_MISSING` (255) per row. */
export interface BooleanColumn {
  readonly type: 'boolean';
  readonly values: Uint8Array;
}

export type AttributeColumn = NumericColumn | CategoryColumn | BooleanColumn;

/**
 * Exact attribute values of `rowCount` rows, one column per schema attribute. This is the store
 * filters are evaluated against exactly (`matchExact`); `quantizeAttributes` derives the compact
 * codes the search scans.
 */
export interface AttributeColumns {
  readonly rowCount: number;
  readonly schema: AttributeSchema;
  readonly columns: ReadonlyMap<string, AttributeColumn>;
}

export interface BuildAttributeColumnsOptions {
  /**
   * What to do with a key in a row that the schema does not list: `'reject'` throws, `'ignore'`
   * drops it (for metadata that is stored but never filtered on).
   * @default 'reject'
   */
  readonly unknownAttributes?: 'reject' | 'ignore';
}

/**
 * Builds the column store from row objects (`rows[i]` holds the attributes of row i).
 *
 * A value that is `undefined`, `null` or absent is missing. A present value must match the
 * schema: a finite number for `number`, a finite integral number for `integer`, a string for
 * `category`, a boolean for `boolean`; anything else throws `InvalidArgumentError` naming the row
 * and the attribute. Cost: O(rows x attributes) plus a sort of each category's distinct strings.
 */
export function buildAttributeColumns(
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  schema: AttributeSchema,
  options: BuildAttributeColumnsOptions = {},
): AttributeColumns {
  const checked = validateAttributeSchema(schema);
  if (!Array.isArray(rows))
    throw new InvalidArgumentError('rows', `rows must be an array, got ${describeJson(rows)}`);
  const unknown = options.unknownAttributes ?? 'reject';
  if (unknown !== 'reject' && unknown !== 'ignore') {
    throw new InvalidArgumentError(
      'unknownAttributes',
      `unknownAttributes is ${unknown}; allowed: reject, ignore`,
    );
  }
  rows.forEach((row, i) => {
    if (!isPlainObject(row)) {
      throw new InvalidArgumentError(
        'rows',
        `row ${i} must be an object of attributes, got ${describeJson(row)}`,
      );
    }
    if (unknown === 'reject') {
      for (const key of Object.keys(row)) {
        if (!Object.hasOwn(checked, key)) {
          throw new InvalidArgumentError(
            'rows',
            `row ${i} has attribute "${key}", which the schema does not declare; declared: ${Object.keys(checked).join(', ') || '(none)'}`,
          );
        }
      }
    }
  });
  const columns = new Map<string, AttributeColumn>();
  for (const [name, spec] of Object.entries(checked)) {
    const read = (i: number): unknown => ownValue(rows[i]!, name);
    const n = rows.length;
    if (spec.type === 'number' || spec.type === 'integer')
      columns.set(name, numericColumn(name, spec.type, n, read));
    else if (spec.type === 'category') columns.set(name, categoryColumn(name, n, read));
    else columns.set(name, booleanColumn(name, n, read));
  }
  return { rowCount: rows.length, schema: checked, columns };
}

function numericColumn(
  name: string,
  type: 'number' | 'integer',
  n: number,
  read: (i: number) => unknown,
): NumericColumn {
  const values = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const v = read(i);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || (type === 'integer' && !Number.isInteger(v))) {
      throw wrongType(i, name, type === 'integer' ? 'an integer' : 'a finite number', v);
    }
    values[i] = v;
  }
  return { type, values };
}

function categoryColumn(name: string, n: number, read: (i: number) => unknown): CategoryColumn {
  const strings: Array<string | undefined> = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = read(i);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw wrongType(i, name, 'a string (category)', v);
    strings[i] = v;
  }
  const dictionary = buildCategoryDictionary(strings.filter((s): s is string => s !== undefined));
  const codes = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = strings[i];
    if (s !== undefined) codes[i] = categoryCode(dictionary, s);
  }
  return { type: 'category', dictionary, codes };
}

function booleanColumn(name: string, n: number, read: (i: number) => unknown): BooleanColumn {
  const values = new Uint8Array(n).fill(BOOLEAN_MISSING);
  for (let i = 0; i < n; i++) {
    const v = read(i);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw wrongType(i, name, 'a boolean', v);
    values[i] = v ? 1 : 0;
  }
  return { type: 'boolean', values };
}

function wrongType(row: number, name: string, expected: string, got: unknown): InvalidArgumentError {
  return new InvalidArgumentError(
    'rows',
    `row ${row}, attribute "${name}": expected ${expected}, got ${describeJson(got)}`,
  );
}
