/**
 * The validated form of a filter, produced by `parseFilter`. Every node's attribute exists in the
 * schema the filter was parsed against and every value has that attribute's type, so evaluators
 * never re-check the JSON.
 */

/** A single attribute value: a finite number, a category string or a boolean. */
export type ScalarValue = number | string | boolean;

export type ComparisonOperator = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte';
export type RangeOperator = '$gt' | '$gte' | '$lt' | '$lte';
export type SetOperator = '$in' | '$nin';

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
];
export const RANGE_OPERATORS: readonly RangeOperator[] = ['$gt', '$gte', '$lt', '$lte'];
/** Operators allowed inside an attribute's operator object. */
export const ATTRIBUTE_OPERATORS: readonly string[] = [...COMPARISON_OPERATORS, '$in', '$nin', '$exists'];
/** Operators allowed as keys of a filter object. */
export const LOGICAL_OPERATORS: readonly string[] = ['$and', '$or', '$not'];

/** Deepest allowed nesting of filter objects; the top-level object is depth 1. */
export const MAX_FILTER_DEPTH = 8;
/** Most terms (operators, counting implicit `$eq` and each logical operator once) in one filter. */
export const MAX_FILTER_TERMS = 256;

/** `attribute <operator> value`. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly attribute: string;
  readonly operator: ComparisonOperator;
  readonly value: ScalarValue;
}

/** `attribute $in [values]` or `attribute $nin [values]`; `values` is non-empty. */
export interface SetNode {
  readonly kind: 'set';
  readonly attribute: string;
  readonly operator: SetOperator;
  readonly values: readonly ScalarValue[];
}

/** `attribute $exists true|false`. */
export interface ExistsNode {
  readonly kind: 'exists';
  readonly attribute: string;
  readonly exists: boolean;
}

export type LeafNode = CompareNode | SetNode | ExistsNode;

export type FilterAst =
  | { readonly kind: 'all' }
  | { readonly kind: 'and'; readonly children: readonly FilterAst[] }
  | { readonly kind: 'or'; readonly children: readonly FilterAst[] }
  | { readonly kind: 'not'; readonly child: FilterAst }
  | LeafNode;

/** True for operators that do match a row where the attribute is missing. */
export function matchesMissing(leaf: LeafNode): boolean {
  switch (leaf.kind) {
    case 'compare':
      return leaf.operator === '$ne';
    case 'set':
      return leaf.operator === '$nin';
    case 'exists':
      return !leaf.exists;
  }
}
