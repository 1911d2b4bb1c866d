/**
 * Error codes of the HTTP API and their statuses: the one place where errors map to HTTP.
 * 4xx bodies carry `{ error: { code, message } }`; anything unexpected is a 500 with a request id.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  DIMENSION_MISMATCH: 400,
  INVALID_FILTER: 400,
  INDEX_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  INDEX_CORRUPT: 500,
  NO_PARTITION_REACHABLE: 503,
};

export function httpStatusOf(code: string): number {
  return HTTP_STATUS_BY_CODE[code] ?? 500;
}
