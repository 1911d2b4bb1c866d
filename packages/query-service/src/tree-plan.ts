import type { ProcessorUnit, WorkItem } from '@squash/contracts';

/**
 * The processor function serving a partition: partitions are grouped `partitionsPerProcessor` at
 * a time, groups assigned round-robin to the configured processor functions.
 */
export function processorFor(
  partition: number,
  processors: readonly string[],
  partitionsPerProcessor: number,
): string {
  return processors[Math.floor(partition / partitionsPerProcessor) % processors.length]!;
}

/** Groups work items by the processor function that serves their partition (stable order). */
export function groupByProcessor(
  work: readonly WorkItem[],
  processors: readonly string[],
  partitionsPerProcessor: number,
): ProcessorUnit[] {
  const units = new Map<string, WorkItem[]>();
  for (const item of [...work].sort((a, b) => a.partition - b.partition)) {
    const name = processorFor(item.partition, processors, partitionsPerProcessor);
    const list = units.get(name) ?? [];
    if (list.length === 0) units.set(name, list);
    list.push(item);
  }
  return [...units].map(([functionName, items]) => ({ functionName, work: items }));
}

/**
 * Splits units among at most `branching` children, as evenly as possible and keeping order: a
 * node with at most `branching` units invokes the processors itself; otherwise it hands each
 * child a contiguous share. P processor units thus need ceil(log_b(P)) hops.
 */
export function splitAmongChildren<T>(units: readonly T[], branching: number): T[][] {
  if (units.length <= branching) return units.map((unit) => [unit]);
  const groups: T[][] = [];
  const base = Math.floor(units.length / branching);
  const extra = units.length % branching;
  let start = 0;
  for (let g = 0; g < branching; g++) {
    const size = base + (g < extra ? 1 : 0);
    groups.push(units.slice(start, start + size));
    start += size;
  }
  return groups;
}

/** Hops from the coordinator to the processors for `units` processor units. */
export function treeDepth(units: number, branching: number): number {
  let depth = 1;
  let reach = branching;
  while (reach < units) {
    reach *= branching;
    depth++;
  }
  return depth;
}
