import { SquashError } from '@squash/errors';

/** Codes the HTTP layer raises itself: malformed requests, unknown routes, limits, reachability. */
export type RequestErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_JSON'
  | 'DIMENSION_MISMATCH'
  | 'INDEX_NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'ANSWER_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'FORBIDDEN'
  | 'NO_PARTITION_REACHABLE';

/**
 * An error the HTTP layer reports with its own code (statuses: `HTTP_STATUS_BY_CODE` in
 * contracts). Engine, storage and index-format errors keep their own codes.
 */
export class RequestError extends SquashError<RequestErrorCode> {}
