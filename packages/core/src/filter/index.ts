export type { CellMatch } from './cell-tables.ts';
export { CELL_ALL, CELL_NONE, CELL_SOME, leafCellTable, numericCellMatch } from './cell-tables.ts';
export type { CompiledFilter } from './compile-filter.ts';
export { compileFilter } from './compile-filter.ts';
export { evaluateExact, matchExact } from './evaluate-exact.ts';
export type {
  CompareNode,
  ComparisonOperator,
  ExistsNode,
  FilterAst,
  LeafNode,
  RangeOperator,
  ScalarValue,
  SetNode,
  SetOperator,
} from './filter-ast.ts';
export {
  ATTRIBUTE_OPERATORS,
  COMPARISON_OPERATORS,
  LOGICAL_OPERATORS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_TERMS,
  matchesMissing,
  RANGE_OPERATORS,
} from './filter-ast.ts';
export { InvalidFilterError } from './invalid-filter-error.ts';
export { parseFilter } from './parse-filter.ts';
