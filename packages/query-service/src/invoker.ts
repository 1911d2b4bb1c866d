import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { SquashError } from '@squash/errors';

/** Why an invocation failed, as far as the retry policy cares. */
export type InvokeFailureKind = 'throttled' | 'server' | 'timeout' | 'function' | 'client';

/**
 * A child function could not be invoked or failed. Never reaches an HTTP answer: the tree turns it
 * into failed partitions (retried once when `kind` is retryable).
 */
export class InvokeError extends SquashError<'INVOKE_FAILED'> {
  constructor(
    readonly kind: InvokeFailureKind,
    readonly functionName: string,
    message: string,
    options: { cause?: unknown; errorType?: string } = {},
  ) {
    super('INVOKE_FAILED', `invoking ${functionName}: ${message}`, options);
    this.errorType = options.errorType;
  }

  /** For a function error: the runtime's `errorType` (`Function.ResponseSizeTooLarge`, ...). */
  readonly errorType: string | undefined;
}

/** Synchronous (RequestResponse) invocation of a function by name. */
export interface Invoker {
  invoke(functionName: string, payload: unknown, options: { readonly timeoutMs: number }): Promise<unknown>;
}

/**
 * Invokes through `@aws-sdk/client-lambda`. The endpoint comes from the standard configuration
 * (`AWS_ENDPOINT_URL_LAMBDA` reaches the local runtime or LocalStack), never from code branches.
 * SDK retries are off: the retry policy is ours (`withRetry`), one retry and no more.
 */
export class LambdaInvoker implements Invoker {
  constructor(private readonly client: LambdaClient = new LambdaClient({ maxAttempts: 1 })) {}

  async invoke(
    functionName: string,
    payload: unknown,
    options: { readonly timeoutMs: number },
  ): Promise<unknown> {
    const body = new TextEncoder().encode(JSON.stringify(payload));
    let output: InvokeCommandOutput;
    try {
      output = await this.client.send(new InvokeCommand({ FunctionName: functionName, Payload: body }), {
        abortSignal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw classifySdkError(functionName, error, options.timeoutMs);
    }
    const text = output.Payload === undefined ? '' : new TextDecoder().decode(output.Payload);
    if (output.FunctionError !== undefined) {
      const parsed = safeParse(text) as { errorType?: string; errorMessage?: string } | undefined;
      const type = parsed?.errorType ?? output.FunctionError;
      const kind: InvokeFailureKind = type === 'Sandbox.Timedout' ? 'timeout' : 'function';
      throw new InvokeError(kind, functionName, `${type}: ${parsed?.errorMessage ?? text.slice(0, 200)}`, {
        errorType: type,
      });
    }
    return safeParse(text);
  }
}

function classifySdkError(functionName: string, error: unknown, timeoutMs: number): InvokeError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new InvokeError('timeout', functionName, `no answer within ${timeoutMs} ms`, { cause: error });
  }
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (e.name === 'TooManyRequestsException' || status === 429) {
    return new InvokeError('throttled', functionName, e.message ?? 'throttled', { cause: error });
  }
  if (status >= 500 || e.name === 'ServiceException' || status === 0) {
    return new InvokeError('server', functionName, e.message ?? `status ${status}`, { cause: error });
  }
  return new InvokeError('client', functionName, e.message ?? `status ${status}`, { cause: error });
}

function safeParse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
