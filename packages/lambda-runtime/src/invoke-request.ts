import type { IncomingMessage } from 'node:http';

/**
 * Parsing of an AWS Lambda `Invoke` request as `@aws-sdk/client-lambda` sends it:
 * `POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=...]` with the headers
 * `X-Amz-Invocation-Type`, `X-Amz-Log-Type` and `X-Amz-Client-Context`, the payload as body.
 * Every rejection carries the AWS error type and status, so the HTTP layer only serialises.
 */

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';
export type LogType = 'None' | 'Tail';

/** A request refused before any function runs, in AWS terms. */
export interface InvokeRejection {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

/** The parts of an Invoke request that do not need the body. */
export interface InvokeHead {
  readonly functionName: string;
  /** `$LATEST`, another qualifier (not served here), or undefined when none was given. */
  readonly qualifier: string | undefined;
  readonly invocationType: InvocationType;
  readonly logType: LogType;
  /** The decoded client context JSON text. */
  readonly clientContext: string | undefined;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
// name | name:qualifier | 123456789012:function:name[:q] | arn:aws:lambda:region:123456789012:function:name[:q]
const FUNCTION_REF =
  /^(?:(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?\d{12}:function:)?([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9$_-]{1,128}))?$/;
const INVOCATION_TYPES: readonly string[] = ['RequestResponse', 'Event', 'DryRun'];
const LOG_TYPES: readonly string[] = ['None', 'Tail'];

/**
 * Reads everything but the body. Returns undefined when the request is not an Invoke call at all.
 * Function names may be plain, qualified or (partial) ARNs; the region and account of an ARN are
 * not checked, so ARNs copied from a real deployment work locally.
 */
export function parseInvokeHead(
  request: IncomingMessage,
  path: string = request.url ?? '/',
): InvokeHead | InvokeRejection | undefined {
  const url = new URL(path, 'http://localhost');
  const pathMatch = INVOKE_PATH.exec(url.pathname);
  if (request.method !== 'POST' || pathMatch === null) return undefined;
  const reference = safeDecode(pathMatch[1] ?? '');
  const refMatch = reference === undefined ? null : FUNCTION_REF.exec(reference);
  if (refMatch === null) {
    return reject(400, 'InvalidParameterValueException', `function name "${reference}" is not a name or ARN`);
  }
  const pathQualifier = refMatch[2];
  const queryQualifier = url.searchParams.get('Qualifier') ?? undefined;
  if (pathQualifier !== undefined && queryQualifier !== undefined && pathQualifier !== queryQualifier) {
    return reject(
      400,
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  if (typeof invocationType !== 'string' || !INVOCATION_TYPES.includes(invocationType)) {
    return reject(
      400,
      'InvalidParameterValueException',
      `X-Amz-Invocation-Type "${invocationType}" is not one of ${INVOCATION_TYPES.join(', ')}`,
    );
  }
  const logType = request.headers['x-amz-log-type'] ?? 'None';
  if (typeof logType !== 'string' || !LOG_TYPES.includes(logType)) {
    return reject(
      400,
      'InvalidParameterValueException',
      `X-Amz-Log-Type "${logType}" is not one of None, Tail`,
    );
  }
  const clientContext = decodeClientContext(request.headers['x-amz-client-context']);
  if (clientContext !== undefined && typeof clientContext !== 'string') return clientContext;
  return {
    functionName: refMatch[1]!,
    qualifier: pathQualifier ?? queryQualifier,
    invocationType: invocationType as InvocationType,
    logType: logType as LogType,
    clientContext,
  };
}

/** Base64 JSON, as AWS requires; decoded to JSON text. */
function decodeClientContext(header: string | string[] | undefined): string | InvokeRejection | undefined {
  if (header === undefined) return undefined;
  const text = Buffer.from(String(header), 'base64').toString('utf8');
  try {
    JSON.parse(text);
    return text;
  } catch {
    return reject(
      400,
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
    );
  }
}

/**
 * Reads the body up to `maxBytes`. A longer body is read to its end and discarded, so the client
 * can finish sending and then read the 413 instead of seeing a reset connection.
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total <= maxBytes) chunks.push(chunk as Buffer);
  }
  return total > maxBytes ? 'too-large' : Buffer.concat(chunks);
}

/** The event text to hand the worker: `{}` for an empty body (as AWS does), or a JSON rejection. */
export function parsePayload(body: Buffer): string | InvokeRejection {
  if (body.length === 0) return '{}';
  const text = body.toString('utf8');
  try {
    JSON.parse(text);
    return text;
  } catch (error) {
    return reject(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
}

export function isRejection(value: unknown): value is InvokeRejection {
  return typeof value === 'object' && value !== null && 'errorType' in value && 'status' in value;
}

function reject(status: number, errorType: string, message: string): InvokeRejection {
  return { status, errorType, message };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
