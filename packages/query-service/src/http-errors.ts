import { type ErrorBody, HTTP_STATUS_BY_CODE } from '@squash/contracts';
import type { CoreErrorCode } from '@squash/core';
import { SquashError } from '@squash/errors';
import type { CatalogErrorCode, IndexFormatErrorCode } from '@squash/index-format';
import type { StorageErrorCode } from '@squash/storage';
import type { ApiGatewayV2Result } from './http-api-gateway.ts';
import type { RequestErrorCode } from './request-error.ts';
import type { WriteErrorCode } from './write-error.ts';

/** Every code an error on the query path can carry. */
export type ServiceErrorCode =
  | CoreErrorCode
  | StorageErrorCode
  | IndexFormatErrorCode
  | CatalogErrorCode
  | RequestErrorCode
  | WriteErrorCode;

/**
 * The statuses of the query path's codes. Typed as a `Record` over `ServiceErrorCode`: a package
 * that adds a code the contracts do not list (so the API would answer an undocumented code with
 * an arbitrary status) fails the type check here.
 */
const STATUS_BY_CODE: Readonly<Record<ServiceErrorCode, number>> = HTTP_STATUS_BY_CODE;

/**
 * Longest error message an answer carries, in characters. Messages quote user values cut short
 * (`quote`); this bound holds even for a message that does not (say, a filter path naming a 4 MB
 * attribute name), so an error answer never echoes a request back.
 */
export const MAX_ERROR_MESSAGE_CHARS = 2000;

/**
 * Maps any error to an HTTP result: the one place errors become statuses. Known errors keep their
 * code and message (4xx); anything unexpected becomes a 500 naming the request id, never a stack.
 */
export function errorResult(
  error: unknown,
  requestId: string,
): { result: ApiGatewayV2Result; unexpected: boolean } {
  const code = error instanceof SquashError ? knownCode(error.code) : undefined;
  if (code !== undefined) {
    const status = STATUS_BY_CODE[code];
    const body: ErrorBody = {
      error: {
        code,
        message: boundedMessage((error as Error).message),
        ...(status >= 500 ? { requestId } : {}),
      },
    };
    return { result: jsonResult(status, body), unexpected: status >= 500 };
  }
  const body: ErrorBody = {
    error: {
      code: 'INTERNAL',
      message: `internal error; quote request id ${requestId} when reporting it`,
      requestId,
    },
  };
  return { result: jsonResult(500, body), unexpected: true };
}

function boundedMessage(message: string): string {
  if (message.length <= MAX_ERROR_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}... (${message.length - MAX_ERROR_MESSAGE_CHARS} more characters)`;
}

function knownCode(code: string): ServiceErrorCode | undefined {
  return Object.hasOwn(STATUS_BY_CODE, code) ? (code as ServiceErrorCode) : undefined;
}

export function jsonResult(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiGatewayV2Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
