import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LambdaRuntime,
  LOG_TAIL_BYTES,
  MAX_REQUEST_PAYLOAD_BYTES,
  MAX_RESPONSE_PAYLOAD_BYTES,
  startLambdaRuntime,
} from '../src/index.ts';
import { decodeLogTail, fixture, invokeFunction } from './support/invoke-http.ts';

let runtime: LambdaRuntime;

beforeAll(async () => {
  runtime = await startLambdaRuntime({
    region: 'eu-west-1',
    accountId: '123456789012',
    functions: [
      { name: 'echo', handlerModule: fixture('echo'), env: { GREETING: 'hello' }, memoryMb: 512 },
      { name: 'shout', handlerModule: fixture('echo'), handlerExport: 'shout' },
      { name: 'throws', handlerModule: fixture('throws') },
      { name: 'callback', handlerModule: fixture('callback') },
      { name: 'logs', handlerModule: fixture('logs') },
      { name: 'big', handlerModule: fixture('big-response') },
      { name: 'counter', handlerModule: fixture('counter') },
      { name: 'init-throws', handlerModule: fixture('init-throws') },
      { name: 'missing-export', handlerModule: fixture('echo'), handlerExport: 'nope' },
      { name: 'missing-dependency', handlerModule: fixture('missing-dependency') },
    ],
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('RequestResponse', () => {
  it('returns 200 with the JSON result and the AWS response headers', async () => {
    const reply = await invokeFunction(runtime.url, 'echo', { query: [1, 2, 3] });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers.get('x-amz-function-error')).toBeNull();
    expect(reply.headers.get('x-amz-log-result')).toBeNull();
    expect((reply.json as { event: unknown }).event).toEqual({ query: [1, 2, 3] });
  });

  it('gives the handler a Lambda-like context and the function environment', async () => {
    const reply = await invokeFunction(runtime.url, 'echo', {});
    const { context, env } = reply.json as {
      context: Record<string, unknown> & { remainingTimeMs: number };
      env: Record<string, string>;
    };
    expect(context).toMatchObject({
      functionName: 'echo',
      functionVersion: '$LATEST',
      awsRequestId: reply.headers.get('x-amzn-requestid'),
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:echo',
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/echo',
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remainingTimeMs).toBeGreaterThan(25_000);
    expect(context.remainingTimeMs).toBeLessThanOrEqual(30_000);
    expect(env).toEqual({ GREETING: 'hello', AWS_LAMBDA_FUNCTION_NAME: 'echo', AWS_REGION: 'eu-west-1' });
  });

  it('passes an empty body as the event {}', async () => {
    const reply = await invokeFunction(runtime.url, 'echo', undefined, { rawBody: '' });
    expect((reply.json as { event: unknown }).event).toEqual({});
  });

  it('passes a decoded X-Amz-Client-Context to the handler', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 't1' } })).toString('base64');
    const reply = await invokeFunction(
      runtime.url,
      'echo',
      {},
      { headers: { 'x-amz-client-context': clientContext } },
    );
    expect((reply.json as { context: { clientContext: unknown } }).context.clientContext).toEqual({
      custom: { tenant: 't1' },
    });
  });

  it('calls the export named by handlerExport', async () => {
    const reply = await invokeFunction(runtime.url, 'shout', { text: 'quiet' });
    expect(reply.json).toBe('QUIET');
  });

  it('accepts a function ARN, a partial ARN and the $LATEST qualifier', async () => {
    for (const reference of [
      'arn:aws:lambda:eu-west-1:123456789012:function:echo',
      '123456789012:function:echo:$LATEST',
      'echo:$LATEST',
    ]) {
      expect((await invokeFunction(runtime.url, reference, {})).status).toBe(200);
    }
    expect((await invokeFunction(runtime.url, 'echo', {}, { qualifier: '$LATEST' })).status).toBe(200);
  });

  it('supports callback-style handlers for results and errors', async () => {
    expect((await invokeFunction(runtime.url, 'callback', {})).json).toEqual({ via: 'callback' });
    const failed = await invokeFunction(runtime.url, 'callback', { fail: true });
    expect(failed.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(failed.json).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
  });
});

describe('Event and DryRun', () => {
  it('answers Event with 202 and an empty body, then runs the handler', async () => {
    const before = runtime.stats('counter').invocations;
    const reply = await invokeFunction(runtime.url, 'counter', {}, { invocationType: 'Event' });
    expect(reply.status).toBe(202);
    expect(reply.text).toBe('');
    expect(reply.headers.get('x-amzn-requestid')).not.toBeNull();
    await runtime.eventsSettled('counter');
    expect(runtime.stats('counter').invocations).toBe(before + 1);
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    const before = runtime.stats('counter');
    const reply = await invokeFunction(runtime.url, 'counter', {}, { invocationType: 'DryRun' });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(runtime.stats('counter').invocations).toBe(before.invocations);
    expect(runtime.stats('counter').coldStarts).toBe(before.coldStarts);
  });
});

describe('service errors', () => {
  it('answers an unknown function with 404 ResourceNotFoundException', async () => {
    const reply = await invokeFunction(runtime.url, 'nope', {});
    expect(reply.status).toBe(404);
    expect(reply.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(reply.json).toMatchObject({
      Type: 'User',
      message: 'Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope',
    });
  });

  it('answers a qualifier other than $LATEST with 404, as there are no versions or aliases', async () => {
    const reply = await invokeFunction(runtime.url, 'echo', {}, { qualifier: 'live' });
    expect(reply.status).toBe(404);
    expect((reply.json as { message: string }).message).toMatch(/function:echo:live$/);
  });

  it('answers an unparseable payload with 400 InvalidRequestContentException', async () => {
    const reply = await invokeFunction(runtime.url, 'echo', undefined, { rawBody: '{"unterminated' });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });

  it('answers an unknown invocation type with 400 InvalidParameterValueException', async () => {
    const reply = await invokeFunction(
      runtime.url,
      'echo',
      {},
      { headers: { 'x-amz-invocation-type': 'Later' } },
    );
    expect(reply.status).toBe(400);
    expect(reply.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  });

  it('answers a path that is not Invoke with 404 UnknownOperationException', async () => {
    const response = await fetch(`${runtime.url}/2015-03-31/functions`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('refuses a payload over 6 MB with 413 RequestEntityTooLargeException without running it', async () => {
    const before = runtime.stats('echo').invocations;
    const padding = 'x'.repeat(MAX_REQUEST_PAYLOAD_BYTES);
    const reply = await invokeFunction(runtime.url, 'echo', { padding });
    expect(reply.status).toBe(413);
    expect(reply.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
    expect((reply.json as { message: string }).message).toBe(
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
    expect(runtime.stats('echo').invocations).toBe(before);
  });

  it('accepts a payload of exactly 6 MB', async () => {
    const envelope = JSON.stringify({ bytes: 10, padding: '' }).length;
    const padding = 'x'.repeat(MAX_REQUEST_PAYLOAD_BYTES - envelope);
    const reply = await invokeFunction(runtime.url, 'big', { bytes: 10, padding });
    expect(reply.status).toBe(200);
  });
});

describe('function errors', () => {
  it('reports a thrown error as 200 Unhandled with errorType, errorMessage and stack trace', async () => {
    const reply = await invokeFunction(runtime.url, 'throws', {});
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = reply.json as { errorType: string; errorMessage: string; trace: string[] };
    expect(Object.keys(body)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(body.errorType).toBe('QuotaExceededError');
    expect(body.errorMessage).toBe('quota of 3 exceeded');
    expect(body.trace[0]).toBe('QuotaExceededError: quota of 3 exceeded');
  });

  it('reports a thrown non-Error value by its typeof', async () => {
    const reply = await invokeFunction(runtime.url, 'throws', { throwString: true });
    expect(reply.json).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] });
  });

  it('turns a result over 6 MB into Function.ResponseSizeTooLarge and keeps the worker', async () => {
    const reply = await invokeFunction(runtime.url, 'big', { bytes: MAX_RESPONSE_PAYLOAD_BYTES + 1 });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(reply.json).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      trace: [],
    });
    expect(runtime.stats('big').crashes).toBe(0);
    expect(runtime.stats('big').idleWorkers).toBe(1);
  });

  it('returns a result of exactly the response limit', async () => {
    const reply = await invokeFunction(runtime.url, 'big', { bytes: MAX_RESPONSE_PAYLOAD_BYTES });
    expect(reply.headers.get('x-amz-function-error')).toBeNull();
    expect(reply.text.length).toBe(MAX_RESPONSE_PAYLOAD_BYTES);
  });

  it('reports a module that throws while loading, and retries the init on the next call', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const reply = await invokeFunction(runtime.url, 'init-throws', {});
      expect(reply.headers.get('x-amz-function-error')).toBe('Unhandled');
      expect(reply.json).toMatchObject({
        errorType: 'Error',
        errorMessage: 'missing configuration: INDEX_URI',
      });
    }
    expect(runtime.stats('init-throws')).toMatchObject({
      coldStarts: 2,
      initErrors: 2,
      crashes: 0,
      workerPids: [],
    });
  });

  it('reports a module whose import fails as Runtime.ImportModuleError', async () => {
    const reply = await invokeFunction(runtime.url, 'missing-dependency', {});
    expect(reply.json).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    expect((reply.json as { errorMessage: string }).errorMessage).toMatch(
      /squash-package-that-is-not-installed/,
    );
  });

  it('reports a missing handler export as Runtime.HandlerNotFound', async () => {
    const reply = await invokeFunction(runtime.url, 'missing-export', {});
    expect(reply.json).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
    expect((reply.json as { errorMessage: string }).errorMessage).toMatch(/echo\.ts\.nope is undefined/);
  });
});

describe('log tail', () => {
  it('returns the invocation output with START, END and REPORT lines when X-Amz-Log-Type is Tail', async () => {
    const reply = await invokeFunction(runtime.url, 'logs', { lines: 3 }, { logType: 'Tail' });
    const requestId = reply.headers.get('x-amzn-requestid');
    const tail = decodeLogTail(reply);
    expect(tail).toContain(`START RequestId: ${requestId} Version: $LATEST\nline 00000 xxxxxxxxxx\n`);
    expect(tail).toContain('line 00002 xxxxxxxxxx\nto stderr: done\n');
    expect(tail).toContain(`END RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: `);
  });

  it('includes init output on a cold start only', async () => {
    const stats = runtime.stats('logs');
    const second = await invokeFunction(runtime.url, 'logs', { lines: 1 }, { logType: 'Tail' });
    expect(stats.coldStarts).toBe(1);
    expect(decodeLogTail(second)).not.toContain('init: loading logs fixture');
    expect(decodeLogTail(second)).not.toContain('Init Duration');
  });

  it('keeps only the last 4 KB of a long output', async () => {
    const reply = await invokeFunction(runtime.url, 'logs', { lines: 500, width: 40 }, { logType: 'Tail' });
    const tailBytes = Buffer.from(reply.headers.get('x-amz-log-result') ?? '', 'base64');
    expect(tailBytes.length).toBe(LOG_TAIL_BYTES);
    const tail = tailBytes.toString('utf8');
    expect(tail).toContain(`line 00499 ${'x'.repeat(40)}\nto stderr: done\n`);
    expect(tail).not.toContain('line 00000');
  });

  it('sends no log header without X-Amz-Log-Type: Tail', async () => {
    const reply = await invokeFunction(runtime.url, 'logs', { lines: 1 }, { logType: 'None' });
    expect(reply.headers.get('x-amz-log-result')).toBeNull();
  });
});
