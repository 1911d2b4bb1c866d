import type { ProcessorRequest } from '@squash/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, lambdaContext } from '../test/capture-logs.ts';

let handler: typeof import('./handler.ts').handler;

beforeAll(async () => {
  // Read by Powertools when the handler module creates its logger: Lambda sets it on demand.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  ({ handler } = await import('./handler.ts'));
});

/** A request for an index outside the store roots (none are configured): refused without I/O. */
const request = (requestId: string): ProcessorRequest => ({
  kind: 'processor',
  requestId,
  index: 'mnist',
  version: 'v1',
  indexUri: 'memory://elsewhere/mnist',
  queries: [{ vector: [1, 0], reduced: [1], topK: 3 }],
  depth: 2,
  deadline: Date.now() + 5_000,
  work: [
    { partition: 4, queries: [0] },
    { partition: 9, queries: [0] },
  ],
});

describe('processor handler logs', () => {
  it('carry the Lambda request id, the function name, the cold start and the tree request id', async () => {
    const context = lambdaContext('squash-processor-1', 'aws-req-1');
    const { result, lines } = await captureLogs(() => handler(request('tree-req-1'), context));
    expect(result.faults.map((f) => [f.partition, f.reason])).toEqual([
      [4, 'FORBIDDEN'],
      [9, 'FORBIDDEN'],
    ]);
    const summary = lines.find((l) => l.message === 'processor faults');
    expect(summary).toMatchObject({
      service: 'squash-processor',
      function_name: 'squash-processor-1',
      function_request_id: 'aws-req-1',
      cold_start: true,
      requestId: 'tree-req-1',
      partitions: [4, 9],
    });
    // Every line of the invocation, including the service's own, names both requests.
    for (const line of lines)
      expect(line).toMatchObject({ function_request_id: 'aws-req-1', requestId: 'tree-req-1' });
  });

  it('name the next request, warm, on the next invocation', async () => {
    const context = lambdaContext('squash-processor-1', 'aws-req-2');
    const { lines } = await captureLogs(() => handler(request('tree-req-2'), context));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({
        function_request_id: 'aws-req-2',
        cold_start: false,
        requestId: 'tree-req-2',
      });
    }
  });
});
