/**
 * Category dictionaries: the distinct strings of a category attribute in ascending UTF-16 code-unit
 * order (the order of `<` on strings, independent of locale), so a code is the rank of its string
 * and a dictionary built twice from the same values is identical.
 */

/** Ascending code-unit order; the comparator every dictionary is sorted with. */
export function compareCategories(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted distinct strings of `values`. */
export function buildCategoryDictionary(values: Iterable<string>): string[] {
  return Array.from(new Set(values)).sort(compareCategories);
}

/** The code of `value` in a sorted dictionary (binary search), or -1 when it is absent. */
export function categoryCode(dictionary: readonly string[], value: string): number {
  let lo = 0;
  let hi = dictionary.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const entry = dictionary[mid]!;
    if (entry === value) return mid;
    if (entry < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
