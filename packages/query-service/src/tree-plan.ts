import type { ProcessorUnit, WorkItem } from '@squash/contracts';

/**
 * The processor function serving a partition of `index`: partitions are grouped
 * `partitionsPerProcessor` at a time, and an index's groups go round-robin over the fixed pool of
 * processor functions starting at a hash of the index name. So an index created at run time needs
 * no function of its own, and two indexes do not both load their first partitions into
 * `processors[0]`. The mapping depends only on (index, partition, pool), so every coordinator
 * sends a partition to the same warm processor.
 */
export function processorFor(
  index: string,
  partition: number,
  processors: readonly string[],
  partitionsPerProcessor: number,
): string {
  const group = Math.floor(partition / partitionsPerProcessor);
  return processors[(indexHash(index) + group) % processors.length]!;
}

/** FNV-1a (32-bit) of the name's UTF-16 code units: fast, stable across processes and versions. */
export function indexHash(index: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < index.length; i++) {
    hash ^= index.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Groups work items by the processor function that serves their partition (stable order). */
export function groupByProcessor(
  index: string,
  work: readonly WorkItem[],
  processors: readonly string[],
  partitionsPerProcessor: number,
): ProcessorUnit[] {
  const units = new Map<string, WorkItem[]>();
  for (const item of [...work].sort((a, b) => a.partition - b.partition)) {
    const name = processorFor(index, item.partition, processors, partitionsPerProcessor);
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
