import { buildIndex } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import type { IndexAccess } from '../src/index-access.ts';
import { InvokeError } from '../src/invoker.ts';
import { inProcessTree, processorOf } from './support/in-process-tree.ts';
import { delayed, waitFor } from './support/wait.ts';

const data = syntheticClusters({ n: 600, dim: 8, nq: 2, clusters: 6, seed: 5 });
const index = buildIndex(data.base, data.n, data.dim, {
  metric: 'l2',
  attributes: data.attributes,
  partitions: 3,
});
const vector = Array.from(data.queries.subarray(0, data.dim));
// topK above the row count makes the query visit every partition.
const everywhere = { vector, topK: 1000 };

function rowsOutside(missing: readonly number[]): number {
  return index.parts.partitions
    .filter((_, p) => !missing.includes(p))
    .reduce((n, part) => n + part.rowIds.length, 0);
}

/** Every method of `access`, bound (to override some). */
function forwarding(access: IndexAccess): IndexAccess {
  return {
    currentVersion: (uri) => access.currentVersion(uri),
    tryCurrentVersion: (uri) => access.tryCurrentVersion(uri),
    manifest: (uri, version) => access.manifest(uri, version),
    routing: (uri, manifest) => access.routing(uri, manifest),
    partition: (uri, manifest, p) => access.partition(uri, manifest, p),
    logAfter: (uri, after) => access.logAfter(uri, after),
    idLocations: (uri, manifest) => access.idLocations(uri, manifest),
    vectorRows: (uri, manifest, p, rows) => access.vectorRows(uri, manifest, p, rows),
    rowMetadata: (uri, manifest, p, rows) => access.rowMetadata(uri, manifest, p, rows),
  };
}

/** Processor `name` takes `ms` to load any partition (a cold start on a slow store). */
const slowProcessor =
  (name: string, ms: number) =>
  (functionName: string, access: IndexAccess): IndexAccess =>
    functionName === name
      ? {
          ...forwarding(access),
          partition: delayed(ms, (uri, manifest, p) => access.partition(uri, manifest, p)),
        }
      : access;

describe('request deadline', () => {
  it('answers a query with a slow processor within the budget, complete: false and reason TIMEOUT, and leaves no work running', async () => {
    const tree = await inProcessTree(index, {
      requestTimeoutMs: 700,
      deadlineMarginMs: 150,
      processorAccess: slowProcessor(processorOf(1), 5000),
    });
    const started = Date.now();
    const answer = await tree.coordinator.query('idx', everywhere, 'slow');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(700);
    expect(answer.complete).toBe(false);
    expect(answer.missingPartitions).toContain(1);
    expect(answer.faults).toContainEqual(expect.objectContaining({ partition: 1, reason: 'TIMEOUT' }));
    expect(answer.faults!.map((f) => [f.partition, f.reason])).toEqual(
      answer.missingPartitions!.map((p) => [p, 'TIMEOUT']),
    );
    // What answered is whole: every row of the partitions not missing (topK exceeds them).
    expect(answer.matches).toHaveLength(rowsOutside(answer.missingPartitions!));
    // The slow processor gave up at its own deadline, before the coordinator answered.
    expect(await waitFor(() => tree.running() === 0, 50)).toBe(true);
  });

  it('stops a processor at its deadline between partitions and reports the rest as TIMEOUT', async () => {
    const tree = await inProcessTree(index, {
      processors: 1,
      requestTimeoutMs: 600,
      deadlineMarginMs: 60,
      processorAccess: slowProcessor(processorOf(0, 1), 200),
    });
    const answer = await tree.coordinator.query('idx', everywhere, 'partial');
    expect(answer.complete).toBe(false);
    // 200 ms per partition load inside a ~480 ms processor budget: two partitions at most.
    expect(answer.matches.length).toBeGreaterThan(0);
    expect(answer.faults!.every((f) => f.reason === 'TIMEOUT')).toBe(true);
    expect(answer.missingPartitions!.length).toBeGreaterThan(0);
    expect(await waitFor(() => tree.running() === 0, 50)).toBe(true);
  });

  it('retries a hung child only while the budget leaves time for another attempt', async () => {
    let hangs = 1;
    const hanging = (functionName: string) => {
      if (functionName === processorOf(2) && hangs-- > 0)
        throw new InvokeError('timeout', functionName, 'hung');
    };
    const retried = await inProcessTree(index, { requestTimeoutMs: 2000, beforeInvoke: hanging });
    expect((await retried.coordinator.query('idx', everywhere, 'r')).complete).toBe(true);
    expect(retried.invocations.get(processorOf(2))).toBe(2);

    // One attempt may take the whole budget: nothing is left for a retry.
    hangs = 1;
    // (In one process the processors' searches share the coordinator's thread and delay its
    // timers, so the margins here are wider than a Lambda needs.)
    const tree = await inProcessTree(index, {
      requestTimeoutMs: 600,
      deadlineMarginMs: 150,
      processorAccess: slowProcessor(processorOf(2), 5000),
    });
    const started = Date.now();
    const answer = await tree.coordinator.query('idx', everywhere, 'once');
    expect(Date.now() - started).toBeLessThan(600);
    expect(answer.faults).toContainEqual(expect.objectContaining({ partition: 2, reason: 'TIMEOUT' }));
    expect(tree.invocations.get(processorOf(2))).toBe(1);
  });

  it('answers 503 within the budget while the index is still loading, and serves it once loaded', async () => {
    const tree = await inProcessTree(index, {
      requestTimeoutMs: 300,
      deadlineMarginMs: 50,
      coordinatorAccess: (access) => ({
        ...forwarding(access),
        routing: delayed(600, (uri, manifest) => access.routing(uri, manifest)),
      }),
    });
    const started = Date.now();
    const error = await tree.coordinator.query('idx', everywhere, 'cold').then(
      () => undefined,
      (e: { code: string; message: string }) => e,
    );
    expect(Date.now() - started).toBeLessThan(300);
    expect(error?.code).toBe('NO_PARTITION_REACHABLE');
    expect(error?.message).toContain('still loading');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await tree.coordinator.query('idx', { vector, topK: 5 }, 'warm')).matches).toHaveLength(5);
  });
});
