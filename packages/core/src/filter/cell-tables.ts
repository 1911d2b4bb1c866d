import type { QuantizedAttribute } from '../attributes/quantized-attributes.ts';
import { type LeafNode, matchesMissing } from './filter-ast.ts';
import { assertLeafFitsType, booleanMatchTable, categoryMatchTable } from './leaf-predicates.ts';

/** Every value in the cell fails the predicate. */
export const CELL_NONE = 0;
/** Some values in the cell may match and some may not: the rows need an exact recheck. */
export const CELL_SOME = 1;
/** Every value in the cell satisfies the predicate. */
export const CELL_ALL = 2;

export type CellMatch = typeof CELL_NONE | typeof CELL_SOME | typeof CELL_ALL;

/**
 * How one filter leaf meets each code of a quantized attribute: a `Uint8Array` of `CellMatch`
 * with `missingCode + 1` entries (the last is the missing code). Category and boolean codes are
 * single values, so their entries are only NONE or ALL; a numeric cell is judged by its tight
 * bounds [cellLower, cellUpper] and is SOME when the predicate's boundary falls inside it.
 * Negated operators are the mirror image of their positive form (NONE <-> ALL, SOME stays SOME),
 * which keeps the table honest under negation.
 */
export function leafCellTable(leaf: LeafNode, attribute: QuantizedAttribute): Uint8Array {
  assertLeafFitsType(leaf, attribute.type);
  if (attribute.type === 'category' || attribute.type === 'boolean') {
    const exact =
      attribute.type === 'category'
        ? categoryMatchTable(leaf, attribute.dictionary)
        : booleanMatchTable(leaf);
    return exact.map((m) => (m === 1 ? CELL_ALL : CELL_NONE));
  }
  const table = new Uint8Array(attribute.missingCode + 1);
  for (let c = 0; c < attribute.cellCount; c++) {
    table[c] = numericCellMatch(leaf, attribute.cellLower[c]!, attribute.cellUpper[c]!);
  }
  table[attribute.missingCode] = matchesMissing(leaf) ? CELL_ALL : CELL_NONE;
  return table;
}

/** How a leaf meets a cell whose present values all lie in the closed interval [lo, hi]. */
export function numericCellMatch(leaf: LeafNode, lo: number, hi: number): CellMatch {
  if (leaf.kind === 'exists') return leaf.exists ? CELL_ALL : CELL_NONE;
  if (leaf.kind === 'set') {
    const hit = setMatch(leaf.values as readonly number[], lo, hi);
    return leaf.operator === '$in' ? hit : mirror(hit);
  }
  const v = leaf.value as number;
  switch (leaf.operator) {
    case '$eq':
      return equalMatch(v, lo, hi);
    case '$ne':
      return mirror(equalMatch(v, lo, hi));
    case '$gt':
      return lo > v ? CELL_ALL : hi <= v ? CELL_NONE : CELL_SOME;
    case '$gte':
      return lo >= v ? CELL_ALL : hi < v ? CELL_NONE : CELL_SOME;
    case '$lt':
      return hi < v ? CELL_ALL : lo >= v ? CELL_NONE : CELL_SOME;
    case '$lte':
      return hi <= v ? CELL_ALL : lo > v ? CELL_NONE : CELL_SOME;
  }
}

function equalMatch(v: number, lo: number, hi: number): CellMatch {
  if (v < lo || v > hi) return CELL_NONE;
  return lo === hi ? CELL_ALL : CELL_SOME;
}

function setMatch(values: readonly number[], lo: number, hi: number): CellMatch {
  if (!values.some((v) => v >= lo && v <= hi)) return CELL_NONE;
  return lo === hi ? CELL_ALL : CELL_SOME;
}

function mirror(match: CellMatch): CellMatch {
  return (CELL_ALL - match) as CellMatch;
}
