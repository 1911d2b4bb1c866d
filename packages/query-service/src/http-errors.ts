import { type ErrorBody, httpStatusOf } from '@squash/contracts';
import { SquashError } from '@squash/core';
import type { ApiGatewayV2Result } from './http-api-gateway.ts';
import { RequestError } from './request-error.ts';

/**
 * Maps any error to an HTTP result: the one place errors become statuses. Known errors keep their
 * code and message (4xx); anything unexpected becomes a 500 naming the request id, never a stack.
 */
export function errorResult(
  error: unknown,
  requestId: string,
): { result: ApiGatewayV2Result; unexpected: boolean } {
  if (error instanceof RequestError || error instanceof SquashError) {
    const status = httpStatusOf(error.code);
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(status >= 500 ? { requestId } : {}) },
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
