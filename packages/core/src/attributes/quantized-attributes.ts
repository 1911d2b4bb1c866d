import { InvalidArgumentError } from '../errors/index.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import type { AttributeColumns, BooleanColumn, CategoryColumn, NumericColumn } from './attribute-columns.ts';
import { BOOLEAN_MISSING } from './attribute-columns.ts';
import { lloydMax1d } from './lloyd-max-1d.ts';

/**
 * A `number` / `integer` attribute as one byte per row. Codes 0..cellCount-1 are cells in
 * ascending value order; `missingCode` (= cellCount, at most 255) marks a row without a value.
 *
 * `cellLower[c]` and `cellUpper[c]` are the smallest and largest value that was put in cell c
 * (tight, closed bounds). They are what a range predicate is judged against: a cell surely
 * matches `$gt x` when `cellLower > x`, surely fails when `cellUpper <= x`, and is undecided in
 * between. Bounds are exact for the rows quantized together; they are not an encoder for new values.
 */
export interface QuantizedNumericAttribute {
  readonly type: 'number' | 'integer';
  readonly codes: Uint8Array;
  readonly cellCount: number;
  readonly missingCode: number;
  readonly cellLower: Float64Array;
  readonly cellUpper: Float64Array;
  /** True when every cell holds one distinct value, so predicates on codes are exact. */
  readonly exact: boolean;
}

/**
 * A `category` attribute: the column's dictionary codes, as `Uint8Array` when the dictionary has
 * at most 255 strings and `Uint16Array` up to 65 535; `missingCode` = dictionary length.
 */
export interface QuantizedCategoryAttribute {
  readonly type: 'category';
  readonly codes: Uint8Array | Uint16Array;
  readonly dictionary: readonly string[];
  readonly missingCode: number;
}

/** A `boolean` attribute: 0 false, 1 true, 2 (`missingCode`) missing. */
export interface QuantizedBooleanAttribute {
  readonly type: 'boolean';
  readonly codes: Uint8Array;
  readonly missingCode: 2;
}

export type QuantizedAttribute =
  | QuantizedNumericAttribute
  | QuantizedCategoryAttribute
  | QuantizedBooleanAttribute;

/**
 * Compact per-row codes of every attribute. In every kind, code values 0..missingCode-1 are real
 * values and `missingCode` is "no value", so a predicate becomes a table of `missingCode + 1`
 * entries indexed by code.
 */
export interface QuantizedAttributes {
  readonly rowCount: number;
  readonly attributes: ReadonlyMap<string, QuantizedAttribute>;
}

export interface QuantizeAttributesOptions {
  /**
   * Most value cells per numeric attribute (1..255; one more byte value is the missing code).
   * More cells make range filters more selective on codes (fewer exact rechecks) at no extra
   * storage; fewer cells only help if codes are later packed into fewer bits.
   * @default 255
   */
  readonly maxCells?: number;
  /**
   * Lloyd's trains on at most this many values per attribute, drawn with `seed`. Every row is
   * still coded and the cell bounds cover every row.
   * @default 65536
   */
  readonly maxTrainingValues?: number;
  /** @default 0 */
  readonly seed?: number;
  /** @default 250 */
  readonly maxIterations?: number;
  /** @default 0.005 */
  readonly relativeTolerance?: number;
}

const MAX_CATEGORY_VALUES = 65_535;

/**
 * Quantizes every column. Numeric attributes with at most `maxCells` distinct values get one cell
 * per value (exact: filters on codes need no recheck); otherwise cells come from a 1-D Lloyd-Max
 * quantizer initialised at equal-population quantiles. Categories keep their dictionary codes;
 * booleans become 0/1/2. Deterministic for a given `seed`.
 */
export function quantizeAttributes(
  columns: AttributeColumns,
  options: QuantizeAttributesOptions = {},
): QuantizedAttributes {
  const maxCells = options.maxCells ?? 255;
  if (!Number.isInteger(maxCells) || maxCells < 1 || maxCells > 255) {
    throw new InvalidArgumentError('maxCells', `maxCells is ${maxCells}; allowed: an integer in 1..255`);
  }
  const maxTrainingValues = options.maxTrainingValues ?? 65_536;
  if (!Number.isInteger(maxTrainingValues) || maxTrainingValues < 1) {
    throw new InvalidArgumentError(
      'maxTrainingValues',
      `maxTrainingValues is ${maxTrainingValues}; allowed: an integer >= 1`,
    );
  }
  const attributes = new Map<string, QuantizedAttribute>();
  for (const [name, column] of columns.columns) {
    if (column.type === 'category') attributes.set(name, quantizeCategory(name, column));
    else if (column.type === 'boolean') attributes.set(name, quantizeBoolean(column));
    else {
      attributes.set(name, quantizeNumeric(column, { ...options, maxCells, maxTrainingValues }));
    }
  }
  return { rowCount: columns.rowCount, attributes };
}

/**
 * The codes of `rowIds` only, in that order (cells and dictionaries are shared), for laying out a
 * partition's rows contiguously. Bounds stay valid because a subset of a cell's values is still
 * inside the cell's bounds.
 */
export function gatherQuantizedRows(
  quantized: QuantizedAttributes,
  rowIds: ArrayLike<number>,
): QuantizedAttributes {
  for (let i = 0; i < rowIds.length; i++) {
    const id = rowIds[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= quantized.rowCount) {
      throw new InvalidArgumentError(
        'rowIds',
        `rowIds[${i}] is ${id}; allowed: 0..${quantized.rowCount - 1}`,
      );
    }
  }
  const attributes = new Map<string, QuantizedAttribute>();
  for (const [name, attribute] of quantized.attributes) {
    const codes = new (attribute.codes.constructor as Uint8ArrayConstructor | Uint16ArrayConstructor)(
      rowIds.length,
    );
    for (let i = 0; i < rowIds.length; i++) codes[i] = attribute.codes[rowIds[i]!]!;
    attributes.set(name, { ...attribute, codes } as QuantizedAttribute);
  }
  return { rowCount: rowIds.length, attributes };
}

function quantizeCategory(name: string, column: CategoryColumn): QuantizedCategoryAttribute {
  const size = column.dictionary.length;
  if (size > MAX_CATEGORY_VALUES) {
    throw new InvalidArgumentError(
      'columns',
      `category "${name}" has ${size} distinct values; at most ${MAX_CATEGORY_VALUES} can be coded`,
    );
  }
  const codes = size <= 255 ? new Uint8Array(column.codes.length) : new Uint16Array(column.codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = column.codes[i]!;
    codes[i] = code < 0 ? size : code;
  }
  return { type: 'category', codes, dictionary: column.dictionary, missingCode: size };
}

function quantizeBoolean(column: BooleanColumn): QuantizedBooleanAttribute {
  const codes = new Uint8Array(column.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = column.values[i]!;
    codes[i] = v === BOOLEAN_MISSING ? 2 : v;
  }
  return { type: 'boolean', codes, missingCode: 2 };
}

type NumericOptions = QuantizeAttributesOptions & {
  readonly maxCells: number;
  readonly maxTrainingValues: number;
};

function quantizeNumeric(column: NumericColumn, options: NumericOptions): QuantizedNumericAttribute {
  const values = column.values;
  const distinct = new Set<number>();
  let presentCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    presentCount++;
    if (distinct.size <= options.maxCells) distinct.add(v);
  }
  if (distinct.size <= options.maxCells) return exactCells(column, distinct);
  const training = trainingSample(values, presentCount, options);
  const { thresholds } = lloydMax1d(training, {
    maxCells: options.maxCells,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    ...(options.relativeTolerance === undefined ? {} : { relativeTolerance: options.relativeTolerance }),
  });
  return cellsFromThresholds(column, thresholds);
}

/** One cell per distinct value, ascending; `distinct` holds at most 255 values. */
function exactCells(column: NumericColumn, distinct: Set<number>): QuantizedNumericAttribute {
  const cellLower = Float64Array.from(distinct).sort();
  const cellOf = new Map<number, number>();
  for (let c = 0; c < cellLower.length; c++) cellOf.set(cellLower[c]!, c);
  const missingCode = cellLower.length;
  const codes = new Uint8Array(column.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = column.values[i]!;
    codes[i] = Number.isNaN(v) ? missingCode : cellOf.get(v)!;
  }
  return {
    type: column.type,
    codes,
    cellCount: missingCode,
    missingCode,
    cellLower,
    cellUpper: cellLower.slice(),
    exact: true,
  };
}

/** The present values, or a seeded uniform sample of `maxTrainingValues` of them, sorted. */
function trainingSample(values: Float64Array, presentCount: number, options: NumericOptions): Float64Array {
  const present = new Float64Array(presentCount);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) present[k++] = values[i]!;
  if (presentCount <= options.maxTrainingValues) return present.sort();
  const picked = new SeededRandom(options.seed ?? 0).sampleIndices(presentCount, options.maxTrainingValues);
  const sample = new Float64Array(picked.length);
  for (let j = 0; j < picked.length; j++) sample[j] = present[picked[j]!]!;
  return sample.sort();
}

/** Codes every row by thresholds, then drops empty cells and records tight bounds. */
function cellsFromThresholds(column: NumericColumn, thresholds: Float64Array): QuantizedNumericAttribute {
  const values = column.values;
  const rawCells = thresholds.length + 1;
  const raw = new Uint8Array(values.length);
  const lower = new Float64Array(rawCells).fill(Number.POSITIVE_INFINITY);
  const upper = new Float64Array(rawCells).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const c = upperBound(thresholds, v);
    raw[i] = c;
    if (v < lower[c]!) lower[c] = v;
    if (v > upper[c]!) upper[c] = v;
  }
  const renumber = new Uint8Array(rawCells);
  const cellLower: number[] = [];
  const cellUpper: number[] = [];
  for (let c = 0; c < rawCells; c++) {
    renumber[c] = cellLower.length;
    if (lower[c]! <= upper[c]!) {
      cellLower.push(lower[c]!);
      cellUpper.push(upper[c]!);
    }
  }
  const missingCode = cellLower.length;
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    codes[i] = Number.isNaN(values[i]!) ? missingCode : renumber[raw[i]!]!;
  return {
    type: column.type,
    codes,
    cellCount: missingCode,
    missingCode,
    cellLower: Float64Array.from(cellLower),
    cellUpper: Float64Array.from(cellUpper),
    exact: cellLower.every((lo, c) => lo === cellUpper[c]),
  };
}

/** Number of thresholds <= v. */
function upperBound(thresholds: Float64Array, v: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
