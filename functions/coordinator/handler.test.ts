import { beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, lambdaContext } from '../test/capture-logs.ts';

let handler: typeof import('./handler.ts').handler;

beforeAll(async () => {
  // Read by Powertools when the handler module creates its logger: Lambda sets it on demand.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  ({ handler } = await import('./handler.ts'));
});

const event = (requestId: string | undefined) => ({
  rawPath: '/v2/nothing-here',
  requestContext: { http: { method: 'GET' }, ...(requestId === undefined ? {} : { requestId }) },
});

describe('coordinator handler logs', () => {
  it('carry the Lambda request id, the function name and the API request id, which the tree carries', async () => {
    const context = lambdaContext('squash-coordinator', 'aws-req-3');
    const { result, lines } = await captureLogs(() => handler(event('api-req-3'), context));
    expect(result.statusCode).toBe(404);
    expect(result.headers['x-request-id']).toBe('api-req-3');
    const line = lines.find((l) => l.message === 'request');
    expect(line).toMatchObject({
      service: 'squash-coordinator',
      function_name: 'squash-coordinator',
      function_request_id: 'aws-req-3',
      cold_start: true,
      requestId: 'api-req-3',
      status: 404,
    });
  });

  it('use the Lambda request id as the request id when API Gateway gives none', async () => {
    const context = lambdaContext('squash-coordinator', 'aws-req-4');
    const { result, lines } = await captureLogs(() => handler(event(undefined), context));
    expect(result.headers['x-request-id']).toBe('aws-req-4');
    expect(lines.find((l) => l.message === 'request')).toMatchObject({
      function_request_id: 'aws-req-4',
      cold_start: false,
      requestId: 'aws-req-4',
    });
  });
});
