import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { buildIndex, planQuery, resolveSearchParameters } from '../src/index.ts';

const data = syntheticClusters({ n: 3000, dim: 16, nq: 8, clusters: 8, seed: 3 });
const index = buildIndex(data.base, data.n, data.dim, {
  metric: 'l2',
  attributes: data.attributes,
  partitions: 8,
});
const parameters = resolveSearchParameters({ nprobeFactor: 1, minPartitions: 2 });
const query = (q: number) => data.queries.subarray(q * data.dim, (q + 1) * data.dim);
const NONE = { found: 0, kthDistance: Number.POSITIVE_INFINITY };
const FULL = { found: 10, kthDistance: 0 };

describe('QueryPlan', () => {
  it('hands out the routed partitions first, whatever the progress, then stops when results suffice', () => {
    const plan = planQuery(index.routing, { vector: query(0), topK: 10, filter: undefined }, parameters);
    expect(plan.next(FULL)).toHaveLength(2);
    expect(plan.next(FULL)).toEqual([]);
    expect(plan.toppedUp).toBe(0);
  });

  it('tops up every remaining partition while fewer than topK results are held', () => {
    const plan = planQuery(index.routing, { vector: query(1), topK: 10, filter: undefined }, parameters);
    const routed = plan.next(NONE);
    const rest = plan.next(NONE);
    expect(new Set([...routed, ...rest]).size).toBe(8);
    expect(plan.toppedUp).toBe(6);
    expect(plan.next(NONE)).toEqual([]);
  });

  it('hands out the same partitions one at a time as in one round', () => {
    const one = planQuery(index.routing, { vector: query(2), topK: 10, filter: undefined }, parameters);
    const all = planQuery(index.routing, { vector: query(2), topK: 10, filter: undefined }, parameters);
    const single: number[] = [];
    for (let p = one.next(NONE, 1); p.length > 0; p = one.next(NONE, 1)) single.push(...p);
    const rounds = [...all.next(NONE), ...all.next(NONE)];
    expect(single).toEqual(rounds);
  });

  it('never hands out a partition without filter candidates, and reaches far partitions that have some', () => {
    const filter = index.parseFilter({ label: 42 });
    const empty = planQuery(index.routing, { vector: query(3), topK: 10, filter }, parameters);
    expect(empty.filterCandidates).toBe(0);
    expect(empty.next(NONE)).toEqual([]);

    const plain = planQuery(index.routing, { vector: query(3), topK: 10, filter: undefined }, parameters);
    const routed = plain.next(NONE);
    const far = [0, 1, 2, 3, 4, 5, 6, 7].find((p) => !routed.includes(p))!;
    const rowsOfFar = [...index.parts.partitions[far]!.rowIds];
    const label = (data.attributes.columns.get('label') as { values: Float64Array }).values[rowsOfFar[0]!]!;
    const selective = index.parseFilter({ label, price: { $exists: true } });
    const plan = planQuery(index.routing, { vector: query(3), topK: 10, filter: selective }, parameters);
    const visited = [...plan.next(NONE), ...plan.next(NONE)];
    expect(visited).toContain(far);
    for (const p of visited) expect(plan.candidates(p)!.some((word) => word !== 0)).toBe(true);
  });
});
