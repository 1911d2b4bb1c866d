import type { AttributeColumn, AttributeColumns } from '../attributes/attribute-columns.ts';
import { BOOLEAN_MISSING } from '../attributes/attribute-columns.ts';
import { andInPlace, createBitmap, notInPlace, orInPlace } from '../bitmap/bitmap.ts';
import { InvalidArgumentError } from '../errors/index.ts';
import type { FilterAst, LeafNode, ScalarValue } from './filter-ast.ts';
import {
  assertLeafFitsType,
  booleanMatchTable,
  categoryMatchTable,
  leafMatchesValue,
  numericPredicate,
} from './leaf-predicates.ts';

/**
 * Whether row `row` of `columns` satisfies the filter, evaluated on exact values with the rules
 * of `parseFilter` (short-circuits `$and` / `$or`). For many rows use `matchExact`.
 *
 * @throws InvalidArgumentError when `row` is outside [0, rowCount).
 * @throws InvalidFilterError when the filter names an attribute the columns lack or of another type.
 */
export function evaluateExact(ast: FilterAst, columns: AttributeColumns, row: number): boolean {
  if (!Number.isInteger(row) || row < 0 || row >= columns.rowCount) {
    throw new InvalidArgumentError('row', `row is ${row}; allowed: 0..${columns.rowCount - 1}`);
  }
  return evaluateRow(ast, columns, row);
}

function evaluateRow(ast: FilterAst, columns: AttributeColumns, row: number): boolean {
  switch (ast.kind) {
    case 'all':
      return true;
    case 'and':
      return ast.children.every((child) => evaluateRow(child, columns, row));
    case 'or':
      return ast.children.some((child) => evaluateRow(child, columns, row));
    case 'not':
      return !evaluateRow(ast.child, columns, row);
    default:
      return leafMatchesValue(ast, rowValue(columnFor(ast, columns), row));
  }
}

/** The value of `row` in `column` as a filter value, or undefined when it is missing. */
function rowValue(column: AttributeColumn, row: number): ScalarValue | undefined {
  if (column.type === 'category') {
    const code = column.codes[row]!;
    return code < 0 ? undefined : column.dictionary[code];
  }
  if (column.type === 'boolean') {
    const v = column.values[row]!;
    return v === BOOLEAN_MISSING ? undefined : v === 1;
  }
  const v = column.values[row]!;
  return Number.isNaN(v) ? undefined : v;
}

/**
 * The exact matches of a filter as a bitmap. Without `rowIds`, bit r is row r (rowCount bits);
 * with `rowIds`, bit i answers for row `rowIds[i]` (rowIds.length bits), which is how candidates
 * from `CompiledFilter.candidates` are re-checked. Cost: one pass over the selected rows per
 * filter term, plus bitmap operations of rowCount / 32 words per logical operator.
 */
export function matchExact(
  ast: FilterAst,
  columns: AttributeColumns,
  rowIds?: ArrayLike<number>,
): Uint32Array {
  if (rowIds !== undefined) assertRowIds(rowIds, columns.rowCount);
  const count = rowIds === undefined ? columns.rowCount : rowIds.length;
  return matchNode(ast, columns, rowIds, count);
}

function matchNode(
  ast: FilterAst,
  columns: AttributeColumns,
  rowIds: ArrayLike<number> | undefined,
  count: number,
): Uint32Array {
  switch (ast.kind) {
    case 'all':
      return createBitmap(count, true);
    case 'and':
    case 'or': {
      // One child bitmap alive at a time, however wide the operator.
      const combine = ast.kind === 'and' ? andInPlace : orInPlace;
      const result = matchNode(ast.children[0]!, columns, rowIds, count);
      for (let c = 1; c < ast.children.length; c++)
        combine(result, matchNode(ast.children[c]!, columns, rowIds, count));
      return result;
    }
    case 'not':
      return notInPlace(matchNode(ast.child, columns, rowIds, count), count);
    default:
      return matchLeaf(ast, columnFor(ast, columns), rowIds, count);
  }
}

function matchLeaf(
  leaf: LeafNode,
  column: AttributeColumn,
  rowIds: ArrayLike<number> | undefined,
  count: number,
): Uint32Array {
  const bits = createBitmap(count);
  if (column.type === 'number' || column.type === 'integer') {
    const test = numericPredicate(leaf);
    const values = column.values;
    for (let i = 0; i < count; i++) {
      if (test(values[rowIds === undefined ? i : rowIds[i]!]!)) bits[i >>> 5]! |= 1 << (i & 31);
    }
    return bits;
  }
  // Discrete kinds: a 0/1 table indexed by code, with the missing entry last.
  const table =
    column.type === 'category' ? categoryMatchTable(leaf, column.dictionary) : booleanMatchTable(leaf);
  const missingIndex = table.length - 1;
  const raw = column.type === 'category' ? column.codes : column.values;
  const missingRaw = column.type === 'category' ? -1 : BOOLEAN_MISSING;
  for (let i = 0; i < count; i++) {
    const code = raw[rowIds === undefined ? i : rowIds[i]!]!;
    bits[i >>> 5]! |= table[code === missingRaw ? missingIndex : code]! << (i & 31);
  }
  return bits;
}

function columnFor(leaf: LeafNode, columns: AttributeColumns): AttributeColumn {
  const column = columns.columns.get(leaf.attribute);
  assertLeafFitsType(leaf, column?.type);
  return column!;
}

/** Throws unless every id is an integer row index below `rowCount`. */
export function assertRowIds(rowIds: ArrayLike<number>, rowCount: number): void {
  for (let i = 0; i < rowIds.length; i++) {
    const id = rowIds[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= rowCount) {
      throw new InvalidArgumentError('rowIds', `rowIds[${i}] is ${id}; allowed: integers 0..${rowCount - 1}`);
    }
  }
}
