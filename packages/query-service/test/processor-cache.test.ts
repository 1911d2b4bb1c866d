import type { ProcessorRequest } from '@squash/contracts';
import { buildIndex, projectQuery } from '@squash/core';
import { publishIndex } from '@squash/index-format';
import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { FormatIndexAccess } from '../src/format-index-access.ts';
import { cacheBytesFor, ProcessorService } from '../src/processor-service.ts';

const data = syntheticClusters({ n: 3000, dim: 16, nq: 2, clusters: 6, seed: 5 });
const query = data.queries.subarray(0, data.dim);
const index = buildIndex(data.base, data.n, data.dim, {
  metric: 'l2',
  attributes: data.attributes,
  partitions: 3,
});

async function setup(cacheMaxBytes: number | undefined) {
  const store = new MemoryBlobStore();
  const { version } = await publishIndex(store, index, { name: 'idx' });
  const access = new FormatIndexAccess(() => store);
  const processor = new ProcessorService(
    access,
    undefined,
    cacheMaxBytes === undefined ? {} : { cacheMaxBytes },
  );
  const request = (partition: number): ProcessorRequest => ({
    kind: 'processor',
    requestId: 'r',
    index: 'idx',
    version,
    indexUri: 'memory://idx',
    depth: 1,
    deadline: Date.now() + 60_000,
    queries: [
      {
        vector: Array.from(query),
        reduced: Array.from(projectQuery(index.routing.leanvec, query)),
        topK: 5,
      },
    ],
    work: [{ partition, queries: [0] }],
  });
  return { processor, request };
}

describe('processor partition cache', () => {
  it('keeps every loaded partition when the budget allows, so a repeat reads nothing', async () => {
    const { processor, request } = await setup(undefined);
    for (const p of [0, 1, 2]) expect((await processor.handle(request(p))).bytesRead).toBeGreaterThan(0);
    for (const p of [0, 1, 2]) expect((await processor.handle(request(p))).bytesRead).toBe(0);
    expect(processor.cacheStats().partitions).toBe(3);
  });

  it('evicts the least recently used partition past its byte budget and reloads it when asked again', async () => {
    const probe = await setup(undefined);
    await probe.processor.handle(probe.request(0));
    const onePartition = probe.processor.cacheStats().bytes;
    const { processor, request } = await setup(Math.floor(onePartition * 2.5));
    await processor.handle(request(0));
    await processor.handle(request(1));
    await processor.handle(request(0)); // 0 is now the most recently used
    await processor.handle(request(2)); // evicts 1
    expect(processor.cacheStats().partitions).toBe(2);
    expect(processor.cacheStats().bytes).toBeLessThanOrEqual(Math.floor(onePartition * 2.5));
    expect((await processor.handle(request(0))).bytesRead).toBe(0);
    expect((await processor.handle(request(1))).bytesRead).toBeGreaterThan(0);
  });

  it('derives its budget from the function memory unless a size is configured', () => {
    expect(cacheBytesFor(0, 2048)).toBe(Math.floor(0.6 * 2048) * 1024 * 1024);
    expect(cacheBytesFor(300, 2048)).toBe(300 * 1024 * 1024);
    expect(cacheBytesFor(0, undefined)).toBe(Math.floor(0.6 * 1706) * 1024 * 1024);
  });
});
