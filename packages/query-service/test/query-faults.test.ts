import { buildIndex } from '@squash/core';
import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { routeHttp } from '../src/http-router.ts';
import { InvokeError } from '../src/invoker.ts';
import { flipByte, inProcessTree, processorOf } from './support/in-process-tree.ts';

const data = syntheticClusters({ n: 600, dim: 8, nq: 2, clusters: 6, seed: 9 });
const index = buildIndex(data.base, data.n, data.dim, {
  metric: 'l2',
  attributes: data.attributes,
  partitions: 3,
});
const everywhere = { vector: Array.from(data.queries.subarray(0, data.dim)), topK: 1000 };

function recordingLog() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  return {
    lines,
    info: (message: string, fields: Record<string, unknown>) =>
      lines.push({ level: 'info', message, fields }),
    error: (message: string, fields: Record<string, unknown>) =>
      lines.push({ level: 'error', message, fields }),
  };
}

const get = (path: string) => ({ rawPath: path, requestContext: { http: { method: 'GET' } } });

describe('faults name their cause', () => {
  it('reports a corrupted partition as INDEX_CORRUPT naming the object key, in the answer and the error log', async () => {
    const log = recordingLog();
    const tree = await inProcessTree(index, { log });
    const key = await flipByte(tree.store, /partitions\/0*2\/vectors/);
    const answer = await tree.coordinator.query('idx', everywhere, 'corrupt');
    expect(answer.complete).toBe(false);
    expect(answer.missingPartitions).toEqual([2]);
    expect(answer.faults).toEqual([
      { partition: 2, reason: 'INDEX_CORRUPT', key, message: expect.stringContaining(key) },
    ]);
    const logged = log.lines.find((l) => l.level === 'error');
    expect(logged?.fields).toMatchObject({ requestId: 'corrupt', faults: [{ partition: 2, key }] });
  });

  it('names throttled and crashed children with THROTTLED and CRASHED after their retry', async () => {
    const tree = await inProcessTree(index, {
      beforeInvoke: (name) => {
        if (name === processorOf(0)) throw new InvokeError('throttled', name, 'TooManyRequestsException');
        if (name === processorOf(1)) {
          throw new InvokeError('function', name, 'Runtime.ExitError: exited', {
            errorType: 'Runtime.ExitError',
          });
        }
      },
    });
    const answer = await tree.coordinator.query('idx', everywhere, 'faults');
    expect(answer.faults?.map((f) => [f.partition, f.reason])).toEqual([
      [0, 'THROTTLED'],
      [1, 'CRASHED'],
    ]);
    expect(tree.invocations.get(processorOf(0))).toBe(2);
    // A function error is not retried: the function itself failed.
    expect(tree.invocations.get(processorOf(1))).toBe(1);
  });

  it('reports an index whose routing objects cannot be loaded on /health with 503, and 200 when all load', async () => {
    const tree = await inProcessTree(index);
    const healthy = await routeHttp(tree.services, get('/health'), 'h1', recordingLog());
    expect(healthy.statusCode).toBe(200);
    expect(JSON.parse(healthy.body)).toEqual({
      status: 'ok',
      indexes: { idx: { status: 'ok', version: expect.any(String) } },
    });

    const broken = await inProcessTree(index, { log: recordingLog() });
    const key = await flipByte(broken.store, /centroids/);
    const degraded = await routeHttp(broken.services, get('/health'), 'h2', recordingLog());
    expect(degraded.statusCode).toBe(503);
    const body = JSON.parse(degraded.body);
    expect(body.status).toBe('degraded');
    expect(body.indexes.idx).toMatchObject({ status: 'error', code: 'INDEX_CORRUPT' });
    expect(body.indexes.idx.message).toContain(key);
  });
});
