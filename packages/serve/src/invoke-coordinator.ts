import { fromFunctionResult, type HttpResponseParts } from '@squash/lambda-runtime';
import { RequestRejectedError } from './serve-errors.ts';

/** Seconds a client is told to wait before retrying a 429. */
export const RETRY_AFTER_S = 1;

/** Where and how the front invokes a coordinator function. */
export interface CoordinatorTarget {
  /** Invoke API base URL of the runtime, secret included. */
  readonly runtimeUrl: string;
  readonly functionName: string;
  readonly log: (line: string) => void;
}

/**
 * One coordinator invocation, as API Gateway's Lambda integration makes it, retried once when
 * its worker died under it (`Runtime.ExitError`): every route is a read today, so a retry is
 * safe; when writes arrive, only reads may retry. Resolves undefined when `signal` fired (the
 * client left); a throttled coordinator is a 429 `RequestRejectedError`, any other failure a 500.
 */
export async function invokeCoordinator(
  target: CoordinatorTarget,
  payload: string,
  requestId: string,
  signal: AbortSignal,
): Promise<HttpResponseParts | undefined> {
  for (let attempt = 1; ; attempt++) {
    const invoked = await post(target, payload, signal);
    if (invoked === undefined) return undefined;
    if (invoked.status === 429) {
      throw new RequestRejectedError(
        'TOO_MANY_REQUESTS',
        `the coordinator is at its concurrency limit; retry after ${RETRY_AFTER_S} s`,
        { retryAfterS: RETRY_AFTER_S },
      );
    }
    const { text, functionError } = invoked;
    if (functionError && attempt === 1 && text.includes('"Runtime.ExitError"')) {
      target.log(`coordinator worker died under ${requestId}; retrying once`);
      continue;
    }
    const result = fromFunctionResult(text, functionError);
    if (result !== undefined) return result;
    target.log(`coordinator failed for ${requestId}: ${text.slice(0, 300)}`);
    throw internalError(requestId);
  }
}

export function internalError(requestId: string): RequestRejectedError {
  return new RequestRejectedError(
    'INTERNAL',
    `internal error; quote request id ${requestId} when reporting it`,
  );
}

async function post(
  target: CoordinatorTarget,
  payload: string,
  signal: AbortSignal,
): Promise<{ status: number; text: string; functionError: boolean } | undefined> {
  try {
    const url = `${target.runtimeUrl}/2015-03-31/functions/${target.functionName}/invocations`;
    const invoked = await fetch(url, { method: 'POST', body: payload, signal });
    const text = await invoked.text();
    const functionError = invoked.status !== 200 || invoked.headers.get('x-amz-function-error') !== null;
    return { status: invoked.status, text, functionError };
  } catch (error) {
    if (signal.aborted) return undefined;
    throw error;
  }
}
