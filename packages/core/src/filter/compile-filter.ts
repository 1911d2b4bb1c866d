import type { QuantizedAttributes } from '../attributes/quantized-attributes.ts';
import { andInPlace, createBitmap, notInPlace, orInPlace, popcount } from '../bitmap/bitmap.ts';
import { CELL_ALL, CELL_NONE, CELL_SOME, leafCellTable } from './cell-tables.ts';
import { assertRowIds } from './evaluate-exact.ts';
import type { FilterAst } from './filter-ast.ts';
import { assertLeafFitsType } from './leaf-predicates.ts';

/**
 * A filter bound to one set of quantized attributes, evaluated on codes only.
 *
 * Row selection, for every method: without `rowIds`, bit r of the result is row r (rowCount
 * bits); with `rowIds`, bit i answers for row `rowIds[i]` (rowIds.length bits).
 */
export interface CompiledFilter {
  readonly rowCount: number;
  /**
   * False when every term is decided exactly by codes (category, boolean and `$exists` terms,
   * numeric attributes with few distinct values, range bounds that fall between cells): then
   * `candidates` equals the exact matches and no recheck is needed.
   */
  readonly needsRecheck: boolean;
  /**
   * Rows that may match: a guaranteed superset of the exact matches. Rows not in it surely fail
   * the filter; rows in it and not in `sureMatches` need an exact recheck (`matchExact`).
   */
  candidates(rowIds?: ArrayLike<number>): Uint32Array;
  /** Rows that surely match: a guaranteed subset of the exact matches. */
  sureMatches(rowIds?: ArrayLike<number>): Uint32Array;
  /** `popcount(candidates(rowIds))`: the work an exact recheck or a filtered scan would face. */
  countCandidates(rowIds?: ArrayLike<number>): number;
}

/** Compiled tree: leaves carry 0/1 "may match" and "surely matches" tables indexed by code. */
type Node =
  | { readonly kind: 'constant'; readonly value: boolean }
  | { readonly kind: 'and' | 'or'; readonly children: readonly Node[] }
  | { readonly kind: 'not'; readonly child: Node }
  | {
      readonly kind: 'leaf';
      readonly codes: Uint8Array | Uint16Array;
      readonly may: Uint8Array;
      readonly sure: Uint8Array;
    };

/** Bounds on the exact result: sure ⊆ exact ⊆ may. Undefined when the caller did not ask for it. */
interface Bounds {
  may: Uint32Array | undefined;
  sure: Uint32Array | undefined;
}

/**
 * Compiles a parsed filter against quantized attributes.
 *
 * Each leaf becomes a per-code table (`leafCellTable`): NONE, SOME or ALL. Evaluation carries two
 * bitmaps per node, "may match" (codes with SOME or ALL) and "surely matches" (ALL), with
 * sure ⊆ exact ⊆ may at every node:
 * - AND: (∧ may, ∧ sure); OR: (∨ may, ∨ sure), since both operators are monotone.
 * - NOT: (¬sure, ¬may). Negating a superset gives a subset, so `$not` swaps the two; using
 *   ¬may as the candidates would silently drop matching rows.
 * Only the bitmaps the root needs are computed: `candidates` needs the root's "may", which
 * below an odd number of `$not` is a child's "sure".
 *
 * Cost: one pass over the selected codes per leaf (a table lookup per row, no decoding), plus
 * rowCount / 32 word operations per logical operator; no exact value is read.
 *
 * @throws InvalidFilterError when the filter names an attribute the data lacks or of another type.
 */
export function compileFilter(ast: FilterAst, quantized: QuantizedAttributes): CompiledFilter {
  let needsRecheck = false;
  const compile = (node: FilterAst): Node => {
    switch (node.kind) {
      case 'all':
        return { kind: 'constant', value: true };
      case 'and':
      case 'or':
        return { kind: node.kind, children: node.children.map(compile) };
      case 'not':
        return { kind: 'not', child: compile(node.child) };
      default: {
        const attribute = quantized.attributes.get(node.attribute);
        assertLeafFitsType(node, attribute?.type);
        const table = leafCellTable(node, attribute!);
        if (table.every((m) => m === table[0]) && table[0] !== CELL_SOME) {
          return { kind: 'constant', value: table[0] === CELL_ALL };
        }
        if (table.includes(CELL_SOME)) needsRecheck = true;
        return {
          kind: 'leaf',
          codes: attribute!.codes,
          may: table.map((m) => (m === CELL_NONE ? 0 : 1)),
          sure: table.map((m) => (m === CELL_ALL ? 1 : 0)),
        };
      }
    }
  };
  const root = compile(ast);
  const rowCount = quantized.rowCount;
  const run = (rowIds: ArrayLike<number> | undefined, want: 'may' | 'sure'): Uint32Array => {
    if (rowIds !== undefined) assertRowIds(rowIds, rowCount);
    const count = rowIds === undefined ? rowCount : rowIds.length;
    return evaluate(root, rowIds, count, want === 'may', want === 'sure')[want]!;
  };
  return {
    rowCount,
    needsRecheck,
    candidates: (rowIds) => run(rowIds, 'may'),
    sureMatches: (rowIds) => run(rowIds, 'sure'),
    countCandidates: (rowIds) => popcount(run(rowIds, 'may')),
  };
}

function evaluate(
  node: Node,
  rowIds: ArrayLike<number> | undefined,
  count: number,
  needMay: boolean,
  needSure: boolean,
): Bounds {
  switch (node.kind) {
    case 'constant': {
      const bits = createBitmap(count, node.value);
      return {
        may: needMay ? bits : undefined,
        sure: needSure ? (needMay ? bits.slice() : bits) : undefined,
      };
    }
    case 'leaf':
      return evaluateLeaf(node, rowIds, count, needMay, needSure);
    case 'not': {
      const child = evaluate(node.child, rowIds, count, needSure, needMay);
      return {
        may: child.sure === undefined ? undefined : notInPlace(child.sure, count),
        sure: child.may === undefined ? undefined : notInPlace(child.may, count),
      };
    }
    default: {
      const combine = node.kind === 'and' ? andInPlace : orInPlace;
      const result = evaluate(node.children[0]!, rowIds, count, needMay, needSure);
      for (let c = 1; c < node.children.length; c++) {
        const next = evaluate(node.children[c]!, rowIds, count, needMay, needSure);
        if (result.may !== undefined) combine(result.may, next.may!);
        if (result.sure !== undefined) combine(result.sure, next.sure!);
      }
      return result;
    }
  }
}

/** One pass over the selected rows' codes, 32 rows per output word. */
function evaluateLeaf(
  leaf: Extract<Node, { kind: 'leaf' }>,
  rowIds: ArrayLike<number> | undefined,
  count: number,
  needMay: boolean,
  needSure: boolean,
): Bounds {
  const may = needMay ? createBitmap(count) : undefined;
  const sure = needSure ? createBitmap(count) : undefined;
  const { codes, may: mayTable, sure: sureTable } = leaf;
  for (let base = 0; base < count; base += 32) {
    const end = Math.min(base + 32, count);
    let mayWord = 0;
    let sureWord = 0;
    for (let i = base; i < end; i++) {
      const code = codes[rowIds === undefined ? i : rowIds[i]!]!;
      mayWord |= mayTable[code]! << (i - base);
      sureWord |= sureTable[code]! << (i - base);
    }
    if (may !== undefined) may[base >>> 5] = mayWord;
    if (sure !== undefined) sure[base >>> 5] = sureWord;
  }
  return { may, sure };
}
