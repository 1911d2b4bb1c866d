import type { ApiErrorCode } from '@squash/contracts';
import { SquashError } from '@squash/errors';

/** Codes a client call can fail with: the API's own, or one of the client's when no answer came. */
export type ClientErrorCode = ApiErrorCode | 'NETWORK_ERROR' | 'TIMEOUT' | 'INVALID_RESPONSE';

/**
 * A call that did not succeed. `code` is the API's error code when the server answered (400
 * `INVALID_FILTER`, 404 `INDEX_NOT_FOUND`, ...), or `NETWORK_ERROR` / `TIMEOUT` /
 * `INVALID_RESPONSE` when no usable answer came. `status` is the HTTP status (0 without an
 * answer); `requestId` the server's request id, to quote when reporting a 5xx.
 */
export class SquashApiError extends SquashError<ClientErrorCode> {
  constructor(
    code: ClientErrorCode,
    message: string,
    readonly status: number,
    readonly requestId: string | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
