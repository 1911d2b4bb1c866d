// @ts-check
/**
 * What a worker process does around the handler call: build the context, call async and
 * callback-style handlers alike, serialise what they throw the way AWS does.
 *
 * Plain JavaScript (type-checked through JSDoc) rather than TypeScript on purpose: the worker
 * must start without the tsx loader when the handler is JavaScript, because tsx's ESM hooks cost
 * about 0.4 s of CPU per process on Node 20, which dominated cold starts and made fifty
 * concurrent cold starts saturate a 2-core machine.
 */

/** @import { FunctionErrorPayload } from './function-error.ts' */
/** @import { LambdaContext } from './lambda-context.ts' */

/**
 * @typedef {(event: unknown, context: LambdaContext, callback?: Callback) => unknown} AnyHandler
 * @typedef {(error?: unknown, result?: unknown) => void} Callback
 */

/**
 * Serialises whatever a handler threw the way the AWS Node.js runtime does: an `Error` gives its
 * name, message and stack lines; any other value gives its `typeof` and its string form.
 * @param {unknown} thrown
 * @returns {FunctionErrorPayload}
 */
export function describeThrown(thrown) {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name,
      errorMessage: thrown.message,
      trace: typeof thrown.stack === 'string' ? thrown.stack.split('\n') : [],
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

/**
 * AWS names a missing module and a syntax error specially; any other init failure keeps its name.
 * @param {unknown} thrown
 * @returns {FunctionErrorPayload}
 */
export function describeImportFailure(thrown) {
  const described = describeThrown(thrown);
  const code = /** @type {{ code?: unknown } | null} */ (thrown)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return { ...described, errorType: 'Runtime.ImportModuleError' };
  }
  if (thrown instanceof SyntaxError) return { ...described, errorType: 'Runtime.UserCodeSyntaxError' };
  return described;
}

/**
 * Builds the handler's context from the per-invocation fields and the standard Lambda
 * environment variables the runtime sets on every worker.
 * @param {{ awsRequestId: string, invokedFunctionArn: string, deadlineMs: number,
 *   clientContext: unknown, env: Readonly<Record<string, string | undefined>> }} input
 * @returns {LambdaContext}
 */
export function createLambdaContext(input) {
  const { env, deadlineMs } = input;
  return {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: input.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
    awsRequestId: input.awsRequestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    clientContext: input.clientContext,
    identity: undefined,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
}

/**
 * Calls an async or a callback-style handler (three parameters); whichever of the returned
 * promise and the callback settles first decides the outcome, as in the AWS Node.js runtime.
 * @param {AnyHandler} handler
 * @param {unknown} event
 * @param {LambdaContext} context
 * @returns {Promise<unknown>}
 */
export function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    /** @type {Callback} */
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    const returned = handler(event, context, callback);
    if (isThenable(returned)) returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

/**
 * @param {unknown} value
 * @returns {value is PromiseLike<unknown>}
 */
function isThenable(value) {
  return typeof (/** @type {{ then?: unknown } | null} */ (value)?.then) === 'function';
}
