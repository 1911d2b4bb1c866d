import type { FanoutRequest } from '@squash/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, lambdaContext } from '../test/capture-logs.ts';

let handler: typeof import('./handler.ts').handler;

beforeAll(async () => {
  // Read by Powertools when the handler module creates its logger: Lambda sets it on demand.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  ({ handler } = await import('./handler.ts'));
});

describe('fan-out handler logs', () => {
  it('carry the Lambda request id, the function name and the tree request id on every line', async () => {
    // An index outside the store roots (none are configured): refused before any child is invoked.
    const request: FanoutRequest = {
      kind: 'fanout',
      requestId: 'tree-req-7',
      index: 'mnist',
      version: 'v1',
      indexUri: 'memory://elsewhere/mnist',
      queries: [{ vector: [1, 0], reduced: [1], topK: 3 }],
      depth: 1,
      deadline: Date.now() + 5_000,
      units: [{ functionName: 'squash-processor-0', work: [{ partition: 0, queries: [0] }] }],
      branching: 2,
      fanoutFunction: 'squash-fanout',
      invokeTimeoutMs: 1_000,
      deadlineMarginMs: 100,
    };
    const context = lambdaContext('squash-fanout', 'aws-req-7');
    const { result, lines } = await captureLogs(() => handler(request, context));
    expect(result.faults.map((f) => f.reason)).toEqual(['FORBIDDEN']);
    expect(lines.map((l) => l.message)).toEqual(['refused an index URI outside the store roots', 'fanout']);
    for (const line of lines) {
      expect(line).toMatchObject({
        service: 'squash-fanout',
        function_name: 'squash-fanout',
        function_request_id: 'aws-req-7',
        cold_start: true,
        requestId: 'tree-req-7',
      });
    }
    expect(lines[1]).toMatchObject({ depth: 1, units: 1, faults: 1 });
  });
});
