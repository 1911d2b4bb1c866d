import type {
  FanoutRequest,
  ProcessorRequest,
  ProcessorUnit,
  TreeResponse,
  WireQuery,
} from '@squash/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleFanout } from '../src/fanout-service.ts';
import { InvokeError, type Invoker } from '../src/invoker.ts';
import { runUnits } from '../src/tree-executor.ts';
import {
  groupByProcessor,
  indexHash,
  processorFor,
  splitAmongChildren,
  treeDepth,
} from '../src/tree-plan.ts';

describe('tree planning', () => {
  it('splits units among at most `branching` children, each unit exactly once, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 2, max: 16 }), (count, branching) => {
        const units = Array.from({ length: count }, (_, i) => i);
        const groups = splitAmongChildren(units, branching);
        expect(groups.length).toBeLessThanOrEqual(Math.max(branching, 0));
        expect(groups.flat()).toEqual(units);
        const sizes = groups.map((g) => g.length);
        if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('needs ceil(log_b(P)) hops for P processor units', () => {
    expect(treeDepth(1, 8)).toBe(1);
    expect(treeDepth(8, 8)).toBe(1);
    expect(treeDepth(9, 8)).toBe(2);
    expect(treeDepth(64, 8)).toBe(2);
    expect(treeDepth(65, 8)).toBe(3);
    expect(treeDepth(1000, 10)).toBe(3);
  });

  it('assigns partitions to processors in groups of partitionsPerProcessor, round-robin from the index hash', () => {
    const processors = ['p0', 'p1', 'p2'];
    const start = indexHash('books') % 3;
    const expected = [0, 0, 1, 1, 2, 2, 3].map((group) => processors[(start + group) % 3]);
    expect([0, 1, 2, 3, 4, 5, 6].map((p) => processorFor('books', p, processors, 2))).toEqual(expected);
    const units = groupByProcessor(
      'books',
      [3, 0, 5, 1].map((partition) => ({ partition, queries: [0] })),
      processors,
      2,
    );
    expect(units.map((u) => [u.functionName, u.work.map((w) => w.partition)])).toEqual([
      [processors[start], [0, 1]],
      [processors[(start + 1) % 3], [3]],
      [processors[(start + 2) % 3], [5]],
    ]);
  });

  it('starts different indexes at different processors of the pool', () => {
    const pool = Array.from({ length: 16 }, (_, i) => `p${i}`);
    const names = Array.from({ length: 40 }, (_, i) => `index-${i}`);
    const firsts = new Set(names.map((name) => processorFor(name, 0, pool, 1)));
    // 40 names over 16 slots: a hash that ignored the name would give 1 distinct start.
    expect(firsts.size).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const used = new Set(Array.from({ length: 16 }, (_, p) => processorFor(name, p, pool, 1)));
      expect(used.size).toBe(16);
    }
  });

  it('hashes index names stably (FNV-1a)', () => {
    expect(indexHash('')).toBe(0x811c9dc5);
    expect(indexHash('a')).toBe(0xe40c292c);
  });
});

/** An in-process tree: fan-out nodes run `handleFanout`, processors answer from their partition list. */
function simulatedInvoker(
  log: Array<{ name: string; depth: number }>,
  failing: Set<string> = new Set(),
): Invoker {
  const invoker: Invoker = {
    async invoke(name, payload) {
      const request = payload as FanoutRequest | ProcessorRequest;
      log.push({ name, depth: request.depth });
      if (failing.has(name)) throw new InvokeError('server', name, 'status 502');
      if (request.kind === 'fanout') return handleFanout(request, invoker);
      const response: TreeResponse = {
        hits: request.queries.map(() =>
          request.work.map((w) => ({ id: String(w.partition), row: w.partition, distance: w.partition })),
        ),
        searched: request.work.map((w) => ({ partition: w.partition, queries: w.queries })),
        faults: [],
        invocations: 1,
        coldStarts: 0,
        bytesRead: 10,
      };
      return response;
    },
  };
  return invoker;
}

function context(queries: WireQuery[], branching: number) {
  return {
    requestId: 'r',
    index: 'i',
    version: 'v',
    indexUri: 'memory://i',
    queries,
    branching,
    fanoutFunction: 'fanout',
    invokeTimeoutMs: 1000,
    deadlineMarginMs: 50,
    deadline: Date.now() + 5000,
    depth: 0,
  };
}

describe('tree execution', () => {
  const queries: WireQuery[] = [{ vector: [0], reduced: [0], topK: 1000 }];

  it('reaches every processor within ceil(log_b(P)) hops and merges all their hits', async () => {
    for (const [processors, branching] of [
      [1, 8],
      [8, 8],
      [9, 8],
      [100, 4],
      [37, 3],
    ] as const) {
      const units: ProcessorUnit[] = Array.from({ length: processors }, (_, p) => ({
        functionName: `proc-${p}`,
        work: [{ partition: p, queries: [0] }],
      }));
      const log: Array<{ name: string; depth: number }> = [];
      const response = await runUnits(units, context(queries, branching), simulatedInvoker(log));
      expect(response.hits[0]!.map((h) => h.row)).toEqual(Array.from({ length: processors }, (_, p) => p));
      expect(response.faults).toEqual([]);
      const processorHops = log.filter((l) => l.name.startsWith('proc-')).map((l) => l.depth);
      expect(Math.max(...processorHops)).toBe(treeDepth(processors, branching));
      expect(response.invocations).toBe(log.length);
    }
  });

  it('reports the partitions under a failing child as failed instead of throwing', async () => {
    const units: ProcessorUnit[] = Array.from({ length: 4 }, (_, p) => ({
      functionName: `proc-${p}`,
      work: [{ partition: p, queries: [0] }],
    }));
    const log: Array<{ name: string; depth: number }> = [];
    const response = await runUnits(units, context(queries, 8), simulatedInvoker(log, new Set(['proc-2'])));
    expect(response.faults.map((f) => [f.partition, f.reason])).toEqual([[2, 'UNREACHABLE']]);
    expect(response.hits[0]!.map((h) => h.row)).toEqual([0, 1, 3]);
    // The failing child was tried twice (one retry on a 5xx-like failure).
    expect(log.filter((l) => l.name === 'proc-2')).toHaveLength(2);
  });
});

describe('processor payloads', () => {
  it('ship each processor only the queries its partitions run, and map hits back', async () => {
    const queries: WireQuery[] = [0, 1, 2].map((q) => ({ vector: [q], reduced: [q], topK: 5 }));
    const seen: Array<{ name: string; queries: number }> = [];
    const invoker: Invoker = {
      async invoke(name, payload) {
        const request = payload as ProcessorRequest;
        seen.push({ name, queries: request.queries.length });
        return {
          hits: request.queries.map((q) => [
            { id: `${name}:${q.vector[0]}`, row: q.vector[0]! + (name === 'a' ? 100 : 0), distance: 1 },
          ]),
          searched: request.work.map((w) => ({ partition: w.partition, queries: w.queries })),
          faults: [],
          invocations: 1,
          coldStarts: 0,
          bytesRead: 0,
        } satisfies TreeResponse;
      },
    };
    const units: ProcessorUnit[] = [
      { functionName: 'a', work: [{ partition: 0, queries: [2] }] },
      { functionName: 'b', work: [{ partition: 1, queries: [0, 2] }] },
    ];
    const response = await runUnits(units, context(queries, 8), invoker);
    expect(seen.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { name: 'a', queries: 1 },
      { name: 'b', queries: 2 },
    ]);
    expect(response.hits[0]!.map((h) => h.id)).toEqual(['b:0']);
    expect(response.hits[1]).toEqual([]);
    expect(response.hits[2]!.map((h) => h.id).sort()).toEqual(['a:2', 'b:2']);
    expect(response.searched.find((s) => s.partition === 1)!.queries).toEqual([0, 2]);
  });
});
