import type { AttributeType } from '../attributes/attribute-schema.ts';
import { categoryCode } from '../attributes/category-dictionary.ts';
import { type LeafNode, matchesMissing, type ScalarValue } from './filter-ast.ts';
import { ROOT_PATH } from './filter-path.ts';
import { InvalidFilterError } from './invalid-filter-error.ts';

/**
 * The meaning of one leaf on one value, and its fast forms per column kind. Every evaluator (exact
 * row, exact vectorised, code-level cells) is written in terms of these, so the missing-value rules
 * live in one place: `matchesMissing` in `filter-ast.ts`.
 */

/** Whether a row whose value is `value` (undefined: missing) satisfies the leaf. The reference semantics. */
export function leafMatchesValue(leaf: LeafNode, value: ScalarValue | undefined): boolean {
  if (value === undefined) return matchesMissing(leaf);
  switch (leaf.kind) {
    case 'exists':
      return leaf.exists;
    case 'set':
      return leaf.values.includes(value) === (leaf.operator === '$in');
    case 'compare':
      switch (leaf.operator) {
        case '$eq':
          return value === leaf.value;
        case '$ne':
          return value !== leaf.value;
        case '$gt':
          return value > leaf.value;
        case '$gte':
          return value >= leaf.value;
        case '$lt':
          return value < leaf.value;
        case '$lte':
          return value <= leaf.value;
      }
  }
}

/**
 * The leaf as a test on a numeric column entry, where NaN is a missing value. Relies on NaN failing
 * every comparison: `$eq $gt $gte $lt $lte $in` are false on NaN, `$ne $nin` (written as negations)
 * are true, which is the documented missing-value rule.
 */
export function numericPredicate(leaf: LeafNode): (x: number) => boolean {
  if (leaf.kind === 'exists') return leaf.exists ? (x) => !Number.isNaN(x) : (x) => Number.isNaN(x);
  if (leaf.kind === 'set') {
    const values = new Set(leaf.values as readonly number[]);
    return leaf.operator === '$in' ? (x) => values.has(x) : (x) => !values.has(x);
  }
  const v = leaf.value as number;
  switch (leaf.operator) {
    case '$eq':
      return (x) => x === v;
    case '$ne':
      return (x) => x !== v;
    case '$gt':
      return (x) => x > v;
    case '$gte':
      return (x) => x >= v;
    case '$lt':
      return (x) => x < v;
    case '$lte':
      return (x) => x <= v;
  }
}

/**
 * 0/1 match table over a sorted category dictionary: entry c is 1 when the string `dictionary[c]`
 * matches, and entry `dictionary.length` is the answer for a missing value. O(dictionary + values
 * x log dictionary); a filter value absent from the dictionary matches no row.
 */
export function categoryMatchTable(leaf: LeafNode, dictionary: readonly string[]): Uint8Array {
  const size = dictionary.length;
  const table = new Uint8Array(size + 1);
  if (leaf.kind === 'exists') table.fill(leaf.exists ? 1 : 0, 0, size);
  else {
    const listed = leaf.kind === 'set' ? leaf.values : [leaf.value];
    const positive = leaf.kind === 'set' ? leaf.operator === '$in' : leaf.operator === '$eq';
    table.fill(positive ? 0 : 1, 0, size);
    for (const value of listed) {
      const code = categoryCode(dictionary, value as string);
      if (code >= 0) table[code] = positive ? 1 : 0;
    }
  }
  table[size] = matchesMissing(leaf) ? 1 : 0;
  return table;
}

/** 0/1 match table indexed by boolean code: 0 false, 1 true, 2 missing. */
export function booleanMatchTable(leaf: LeafNode): Uint8Array {
  return Uint8Array.of(
    leafMatchesValue(leaf, false) ? 1 : 0,
    leafMatchesValue(leaf, true) ? 1 : 0,
    matchesMissing(leaf) ? 1 : 0,
  );
}

/**
 * Throws `InvalidFilterError` when a parsed leaf cannot apply to data of `type` (the filter was
 * parsed against a different schema than the data was built with).
 */
export function assertLeafFitsType(leaf: LeafNode, type: AttributeType | undefined): void {
  if (type === undefined) {
    throw new InvalidFilterError(ROOT_PATH, `the data has no attribute "${leaf.attribute}"`);
  }
  const values = leaf.kind === 'exists' ? [] : leaf.kind === 'set' ? leaf.values : [leaf.value];
  const expected =
    type === 'number' || type === 'integer' ? 'number' : type === 'category' ? 'string' : 'boolean';
  const isRange = leaf.kind === 'compare' && leaf.operator !== '$eq' && leaf.operator !== '$ne';
  if (values.some((v) => typeof v !== expected) || (isRange && expected !== 'number')) {
    throw new InvalidFilterError(
      ROOT_PATH,
      `the filter term on "${leaf.attribute}" does not fit the data, where "${leaf.attribute}" is of type ${type}`,
    );
  }
}
