import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stripSecret } from './endpoint-secret.ts';
import type { FunctionPool, InvocationResult } from './function-pool.ts';
import { isRejection, parseInvokeHead, parsePayload, readBody } from './invoke-request.ts';
import { LATEST_VERSION, MAX_REQUEST_PAYLOAD_BYTES } from './lambda-limits.ts';

/** What the HTTP layer needs from the runtime. */
export interface InvokeHttpContext {
  readonly pools: ReadonlyMap<string, FunctionPool>;
  readonly functionArn: (name: string, qualifier: string | undefined) => string;
  /** The per-run secret: the first path segment of every accepted request. */
  readonly secret: string;
}

/**
 * Serves one HTTP request of the Lambda Invoke API. This is the one place where outcomes become
 * status codes and headers, following AWS:
 * - service errors: status, `x-amzn-ErrorType` (which the SDK turns into the exception class) and
 *   a `{ Type, message }` body;
 * - function errors: 200 with `X-Amz-Function-Error: Unhandled` and the error as the body;
 * - every response: `x-amzn-RequestId`; function responses also `X-Amz-Executed-Version`.
 * A request whose path does not start with the per-run secret gets 403
 * `UnrecognizedClientException` (AWS's answer to an unknown credential) before anything else.
 */
export async function handleInvokeHttp(
  request: IncomingMessage,
  response: ServerResponse,
  context: InvokeHttpContext,
): Promise<void> {
  const requestId = randomUUID();
  const path = stripSecret(request.url ?? '/', context.secret);
  if (path === undefined) {
    request.resume();
    return sendServiceError(
      response,
      requestId,
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid: the path must start with the per-run secret of this runtime (use the url startLambdaRuntime returned)',
    );
  }
  const head = parseInvokeHead(request, path);
  if (head === undefined) {
    request.resume();
    return sendServiceError(response, requestId, 404, 'UnknownOperationException', 'Unknown operation');
  }
  if (isRejection(head)) {
    request.resume();
    return sendServiceError(response, requestId, head.status, head.errorType, head.message);
  }
  const pool = context.pools.get(head.functionName);
  if (pool === undefined || (head.qualifier !== undefined && head.qualifier !== LATEST_VERSION)) {
    request.resume();
    const arn = context.functionArn(head.functionName, head.qualifier);
    return sendServiceError(
      response,
      requestId,
      404,
      'ResourceNotFoundException',
      `Function not found: ${arn}`,
    );
  }
  const body = await readBody(request, MAX_REQUEST_PAYLOAD_BYTES);
  if (body === 'too-large') {
    const message = `Request must be smaller than ${MAX_REQUEST_PAYLOAD_BYTES} bytes for the InvokeFunction operation`;
    return sendServiceError(response, requestId, 413, 'RequestEntityTooLargeException', message);
  }
  const payload = parsePayload(body);
  if (isRejection(payload))
    return sendServiceError(response, requestId, payload.status, payload.errorType, payload.message);
  if (head.invocationType === 'DryRun') return sendEmpty(response, requestId, 204);
  const invocation = {
    requestId,
    invocationType: head.invocationType,
    payload,
    invokedFunctionArn: context.functionArn(head.functionName, head.qualifier),
    clientContext: head.clientContext,
  };
  if (head.invocationType === 'Event') {
    pool.enqueueEvent(invocation);
    return sendEmpty(response, requestId, 202);
  }
  // The caller leaving (an SDK timeout, a client gone upstream) takes its invocation out of the
  // wait for a worker, so abandoned work never holds a place in the queue.
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  const result = await pool.invoke({ ...invocation, signal: gone.signal });
  if (result === 'abandoned') {
    response.destroy();
    return;
  }
  if (result === 'throttled') {
    return sendServiceError(response, requestId, 429, 'TooManyRequestsException', 'Rate Exceeded.', {
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  }
  sendResult(response, requestId, result, head.logType === 'Tail');
}

/** Last resort for a bug in this runtime: a 500 with the request id, never a stack. */
export function sendInternalError(response: ServerResponse, error: unknown): void {
  const requestId = randomUUID();
  const message = `internal error of the local Lambda runtime (request ${requestId}): ${String(error)}`;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendServiceError(response, requestId, 500, 'ServiceException', message, {}, 'Service');
}

function sendResult(
  response: ServerResponse,
  requestId: string,
  result: InvocationResult,
  tail: boolean,
): void {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(result.payload),
    'x-amzn-RequestId': requestId,
    'X-Amz-Executed-Version': LATEST_VERSION,
  };
  if (result.error !== undefined) headers['X-Amz-Function-Error'] = 'Unhandled';
  if (tail) headers['X-Amz-Log-Result'] = result.log.toBase64();
  response.writeHead(200, headers);
  response.end(result.payload);
}

function sendEmpty(response: ServerResponse, requestId: string, status: 202 | 204): void {
  response.writeHead(status, {
    'Content-Length': 0,
    'x-amzn-RequestId': requestId,
    'X-Amz-Executed-Version': LATEST_VERSION,
  });
  response.end();
}

function sendServiceError(
  response: ServerResponse,
  requestId: string,
  status: number,
  errorType: string,
  message: string,
  extra: Record<string, string> = {},
  type: 'User' | 'Service' = 'User',
): void {
  // AWS's ResourceNotFoundException carries `Message`, most others `message`; the SDK reads either.
  const messageFields =
    errorType === 'ResourceNotFoundException' ? { Message: message, message } : { message };
  const body = JSON.stringify({ Type: type, ...messageFields, ...extra });
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': errorType,
  });
  response.end(body);
}
