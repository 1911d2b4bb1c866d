/**
 * The second argument of a handler: the fields of the AWS Node.js runtime's `context` that code
 * actually reads. Shaped like `Context` from `@types/aws-lambda` so handlers written against it
 * type-check here; the deprecated `done` / `succeed` / `fail` methods are left out.
 */
export interface LambdaContext {
  readonly functionName: string;
  /** Always `$LATEST`: the local runtime has no published versions. */
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  /** A string, as in the AWS Node.js runtime (`'1024'`). */
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Decoded `X-Amz-Client-Context`, if the caller sent one. */
  readonly clientContext: unknown;
  readonly identity: undefined;
  /** Accepted and ignored: a worker answers as soon as the handler settles. */
  callbackWaitsForEmptyEventLoop: boolean;
  /** Milliseconds until the function timeout kills this invocation; never negative. */
  getRemainingTimeInMillis(): number;
}

/**
 * A handler as the runtime calls it (see `createLambdaContext` in `worker-support.mjs` for how
 * the context is filled). Callback-style handlers (three parameters) work too.
 */
export type LambdaHandler<TEvent = unknown, TResult = unknown> = (
  event: TEvent,
  context: LambdaContext,
) => Promise<TResult> | TResult;
