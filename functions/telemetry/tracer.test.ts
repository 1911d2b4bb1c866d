import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createLogger } from '@squash/query-service';
import xray from 'aws-xray-sdk-core';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentInvocation } from './invocation.ts';
import { createTracer, tracedLambdaInvoker } from './tracer.ts';

/** A stand-in for the Lambda Invoke API on 127.0.0.1 that records request headers. */
async function invokeApi(): Promise<{ url: string; headers: IncomingHttpHeaders[]; close: () => void }> {
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ ok: true })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, headers, close: () => server.close() };
}

describe('tracedLambdaInvoker', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('keeps SDK retries off, so the tree retry policy is the only one', async () => {
    const invoker = tracedLambdaInvoker(createTracer('squash-test'));
    const client = (invoker as unknown as { client: LambdaClient }).client;
    expect(await client.config.maxAttempts()).toBe(1);
  });

  it('records each Invoke as a subsegment and sends its trace header to the invoked function', async () => {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    const tracer = new Tracer({ serviceName: 'squash-fanout', captureHTTPsRequests: false });
    const api = await invokeApi();
    try {
      const client = new LambdaClient({
        maxAttempts: 1,
        endpoint: api.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      const invoker = tracedLambdaInvoker(tracer, client);
      const facade = new xray.Segment('squash-fanout');
      const answer = await xray.getNamespace().runAndReturn(() => {
        tracer.setSegment(facade);
        return instrumentInvocation(
          { logger: createLogger('squash-test', 'error'), tracer },
          undefined,
          { requestId: 'tree-1' },
          () => invoker.invoke('squash-processor-0', { kind: 'processor' }, { timeoutMs: 5_000 }),
        );
      });
      expect(answer).toEqual({ ok: true });
      const handlerSegment = facade.subsegments?.[0];
      const invoke = handlerSegment?.subsegments?.[0] as unknown as {
        id: string;
        name: string;
        aws?: { operation?: string; function_name?: string };
      };
      expect(invoke).toMatchObject({
        name: 'Lambda',
        aws: { operation: 'Invoke', function_name: 'squash-processor-0' },
      });
      expect(api.headers).toHaveLength(1);
      const header = String(api.headers[0]!['x-amzn-trace-id']);
      expect(header).toContain(`Root=${facade.trace_id}`);
      expect(header).toContain(`Parent=${invoke.id}`);
    } finally {
      api.close();
    }
  });
});
