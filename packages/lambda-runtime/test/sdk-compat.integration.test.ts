import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaRuntime, MAX_REQUEST_PAYLOAD_BYTES, startLambdaRuntime } from '../src/index.ts';
import { fixture } from './support/invoke-http.ts';

// ---- GUARD: remove once @aws-sdk/client-lambda is a devDependency --------------------------
// Replace this block with `import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';`
// and `const sdk = { InvokeCommand, LambdaClient };`. The minimal types below match the SDK's
// shapes the cases use, so the cases type-check unchanged after the swap.
interface InvokeOutput {
  StatusCode?: number;
  FunctionError?: string;
  LogResult?: string;
  ExecutedVersion?: string;
  Payload?: Uint8Array;
}
interface LambdaSdk {
  LambdaClient: new (
    config: Record<string, unknown>,
  ) => {
    send(command: unknown): Promise<InvokeOutput>;
    destroy(): void;
  };
  InvokeCommand: new (input: {
    FunctionName: string;
    Payload?: Uint8Array | string;
    InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
    LogType?: 'None' | 'Tail';
    Qualifier?: string;
  }) => unknown;
}
const SDK_MODULE = '@aws-sdk/client-lambda';
const sdk = (await import(SDK_MODULE).catch(() => undefined)) as LambdaSdk | undefined;
if (sdk === undefined) {
  console.warn(
    `sdk-compat: skipped, ${SDK_MODULE} is not installed (npm i -D ${SDK_MODULE}@3.1164.0 to run it)`,
  );
}
// ---- end of guard ------------------------------------------------------------------------

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

describe.skipIf(sdk === undefined)('@aws-sdk/client-lambda InvokeCommand against the local runtime', () => {
  const { InvokeCommand, LambdaClient } = sdk!;
  let runtime: LambdaRuntime;
  let client: InstanceType<LambdaSdk['LambdaClient']>;

  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const decode = (payload: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(payload));

  beforeAll(async () => {
    runtime = await startLambdaRuntime({
      functions: [
        { name: 'echo', handlerModule: fixture('echo') },
        { name: 'throws', handlerModule: fixture('throws') },
        { name: 'logs', handlerModule: fixture('logs') },
        {
          name: 'slow',
          handlerModule: fixture('slow'),
          timeoutMs: 2_000,
          initTimeoutMs: 60_000,
          maxConcurrency: 1,
        },
      ],
    });
    // maxAttempts 1: the SDK would otherwise retry 429s and hide them.
    client = new LambdaClient({
      endpoint: runtime.url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await runtime?.stop();
  });

  it('returns StatusCode 200, the payload and ExecutedVersion for RequestResponse', async () => {
    const output = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: json({ k: 7 }) }));
    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.FunctionError).toBeUndefined();
    expect(decode(output.Payload).event).toEqual({ k: 7 });
  });

  it('finds the runtime through AWS_ENDPOINT_URL_LAMBDA', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_LAMBDA;
    process.env.AWS_ENDPOINT_URL_LAMBDA = runtime.url;
    const envClient = new LambdaClient({ region: 'us-east-1', credentials: CREDENTIALS });
    try {
      const output = await envClient.send(new InvokeCommand({ FunctionName: 'echo', Payload: json({}) }));
      expect(output.StatusCode).toBe(200);
    } finally {
      envClient.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
      else process.env.AWS_ENDPOINT_URL_LAMBDA = previous;
    }
  });

  it('accepts the $LATEST qualifier and a function ARN', async () => {
    const byQualifier = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '$LATEST' }));
    expect(byQualifier.StatusCode).toBe(200);
    const byArn = await client.send(
      new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo' }),
    );
    expect(decode(byArn.Payload).context.invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:echo',
    );
  });

  it('returns FunctionError Unhandled and the error payload when the handler throws', async () => {
    const output = await client.send(new InvokeCommand({ FunctionName: 'throws', Payload: json({}) }));
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(decode(output.Payload)).toMatchObject({ errorType: 'QuotaExceededError' });
  });

  it('returns the base64 log tail as LogResult for LogType Tail', async () => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: 'logs', Payload: json({ lines: 2 }), LogType: 'Tail' }),
    );
    expect(Buffer.from(output.LogResult ?? '', 'base64').toString('utf8')).toContain('line 00001');
  });

  it('returns StatusCode 202 for Event and 204 for DryRun', async () => {
    const event = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event' }));
    expect(event.StatusCode).toBe(202);
    const dryRun = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(dryRun.StatusCode).toBe(204);
    await runtime.eventsSettled();
  });

  it('reports a timeout as FunctionError with Sandbox.Timedout', async () => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: 'slow', Payload: json({ ms: 10_000 }) }),
    );
    expect(output.FunctionError).toBe('Unhandled');
    expect(decode(output.Payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
  });

  it('throws ResourceNotFoundException for an unknown function or qualifier', async () => {
    for (const input of [{ FunctionName: 'nope' }, { FunctionName: 'echo', Qualifier: 'live' }]) {
      await expect(client.send(new InvokeCommand(input))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 404 },
        message: expect.stringMatching(/^Function not found: arn:aws:lambda:/),
      });
    }
  });

  it('throws TooManyRequestsException with its Reason past maxConcurrency', async () => {
    const busy = client.send(new InvokeCommand({ FunctionName: 'slow', Payload: json({ ms: 1_500 }) }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'slow', Payload: json({ ms: 1 }) })),
    ).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      $metadata: { httpStatusCode: 429 },
    });
    expect((await busy).StatusCode).toBe(200);
  });

  it('throws RequestEntityTooLargeException for a payload over 6 MB', async () => {
    const payload = new Uint8Array(MAX_REQUEST_PAYLOAD_BYTES + 1).fill(0x20);
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'echo', Payload: payload })),
    ).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
  });
});
