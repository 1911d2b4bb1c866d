import type { FanoutRequest, ProcessorRequest } from '@squash/contracts';
import { buildIndex } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { handleFanout } from '../src/fanout-service.ts';
import type { IndexAccess } from '../src/index-access.ts';
import type { Invoker } from '../src/invoker.ts';
import { ProcessorService } from '../src/processor-service.ts';
import { StoreRoots } from '../src/store-roots.ts';
import { inProcessTree } from './support/in-process-tree.ts';

const base = {
  requestId: 'r',
  index: 'idx',
  version: 'v1',
  queries: [{ vector: [0], reduced: [0], topK: 1 }],
  depth: 1,
  deadline: Date.now() + 60_000,
};

function recordingLog() {
  const lines: Array<{ message: string; fields: Record<string, unknown> }> = [];
  return {
    lines,
    error: (message: string, fields: Record<string, unknown>) => lines.push({ message, fields }),
  };
}

describe('store roots', () => {
  it('allow a root and what is below it, segment by segment, and nothing else', () => {
    const roots = new StoreRoots(['s3://bucket/indexes/mnist', '/srv/squash/', 'memory://idx']);
    for (const uri of [
      's3://bucket/indexes/mnist',
      's3://bucket/indexes/mnist/',
      's3://bucket/indexes/mnist/v2',
      '/srv/squash/a',
      'file:///srv/squash',
      'memory://idx',
    ]) {
      expect([uri, roots.refusal(uri)]).toEqual([uri, undefined]);
    }
    for (const uri of [
      's3://bucket/indexes/mnist-other',
      's3://bucket/indexes',
      's3://other/indexes/mnist',
      '/srv/squash/../etc',
      '/srv',
      'memory://other',
      '',
      'ftp://x/y',
    ]) {
      expect([uri, roots.refusal(uri)?.reason]).toEqual([uri, 'FORBIDDEN']);
    }
  });

  it('default to the index table when SQUASH_STORE_ROOTS is empty', () => {
    const roots = StoreRoots.of({ storeRoots: [], indexes: { a: 's3://bucket/a' } });
    expect(roots.refusal('s3://bucket/a')).toBeUndefined();
    expect(roots.refusal('s3://bucket/b')?.reason).toBe('FORBIDDEN');
    expect(StoreRoots.of({ storeRoots: [], indexes: {} }).refusal('s3://bucket/a')?.reason).toBe('FORBIDDEN');
  });

  it('make a processor refuse a foreign indexUri with FORBIDDEN, log it at error level and read nothing', async () => {
    let reads = 0;
    const counting = new Proxy({} as IndexAccess, {
      get: () => () => {
        reads++;
        return Promise.reject(new Error('must not be read'));
      },
    });
    const log = recordingLog();
    const processor = new ProcessorService(counting, undefined, {
      storeRoots: new StoreRoots(['s3://squash-data/indexes/mnist']),
      log,
    });
    const request: ProcessorRequest = {
      ...base,
      kind: 'processor',
      indexUri: 's3://private-bucket/secrets',
      work: [
        { partition: 0, queries: [0] },
        { partition: 3, queries: [0] },
      ],
    };
    const response = await processor.handle(request);
    expect(response.faults.map((f) => [f.partition, f.reason])).toEqual([
      [0, 'FORBIDDEN'],
      [3, 'FORBIDDEN'],
    ]);
    expect(response.searched).toEqual([]);
    expect(reads).toBe(0);
    expect(log.lines).toEqual([
      { message: expect.stringContaining('refused'), fields: expect.objectContaining({ requestId: 'r' }) },
    ]);
  });

  it('make a fan-out node refuse a foreign indexUri without invoking anything', async () => {
    let invocations = 0;
    const invoker: Invoker = {
      invoke: async () => {
        invocations++;
        return undefined;
      },
    };
    const request: FanoutRequest = {
      ...base,
      kind: 'fanout',
      indexUri: '/etc',
      units: [{ functionName: 'p0', work: [{ partition: 1, queries: [0] }] }],
      branching: 8,
      fanoutFunction: 'fanout',
      invokeTimeoutMs: 1000,
      deadlineMarginMs: 50,
    };
    const response = await handleFanout(request, invoker, { storeRoots: new StoreRoots(['/srv/squash']) });
    expect(response.faults.map((f) => [f.partition, f.reason])).toEqual([[1, 'FORBIDDEN']]);
    expect(invocations).toBe(0);
  });

  it('answer a query whose processors refuse its index with 503 naming FORBIDDEN', async () => {
    const data = syntheticClusters({ n: 300, dim: 4, nq: 1, clusters: 3, seed: 2 });
    const index = buildIndex(data.base, data.n, data.dim, { metric: 'l2', partitions: 2 });
    const tree = await inProcessTree(index, { storeRoots: ['memory://elsewhere'] });
    const error = await tree.coordinator
      .query('idx', { vector: Array.from(data.queries), topK: 3 }, 'q')
      .then(
        () => undefined,
        (e: { code: string; message: string }) => e,
      );
    expect(error?.code).toBe('NO_PARTITION_REACHABLE');
    expect(error?.message).toContain('FORBIDDEN');
  });
});
