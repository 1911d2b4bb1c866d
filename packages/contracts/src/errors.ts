/**
 * Every error code an HTTP answer can carry, and its status: the one place errors map to HTTP.
 * 4xx bodies carry `{ error: { code, message } }`; 5xx bodies add the request id. The services'
 * own code unions (core, storage, index format, request validation) must each be a subset of
 * `ApiErrorCode`: the query service assigns this table to a `Record` over their union, so a code
 * without a status fails the type check. docs/http-api.md lists the same codes (a test checks).
 */
export type ApiErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_REQUEST'
  | 'INVALID_JSON'
  | 'INVALID_PATH'
  | 'DIMENSION_MISMATCH'
  | 'INVALID_FILTER'
  | 'ANSWER_TOO_LARGE'
  | 'INDEX_NOT_FOUND'
  | 'INDEX_EXISTS'
  | 'DUPLICATE_ID'
  | 'INVALID_ID'
  | 'INVALID_ATTRIBUTE'
  | 'METADATA_TOO_LARGE'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PRECONDITION_FAILED'
  | 'REQUEST_TIMEOUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'INTERNAL'
  | 'INDEX_CORRUPT'
  | 'BLOB_NOT_FOUND'
  | 'STORAGE_ERROR'
  | 'WASM_UNAVAILABLE'
  | 'NO_PARTITION_REACHABLE';

export const HTTP_STATUS_BY_CODE: Readonly<Record<ApiErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  INVALID_PATH: 400,
  DIMENSION_MISMATCH: 400,
  INVALID_FILTER: 400,
  ANSWER_TOO_LARGE: 400,
  DUPLICATE_ID: 400,
  INVALID_ID: 400,
  INVALID_ATTRIBUTE: 400,
  METADATA_TOO_LARGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  INDEX_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  INDEX_EXISTS: 409,
  PRECONDITION_FAILED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  INDEX_CORRUPT: 500,
  BLOB_NOT_FOUND: 500,
  STORAGE_ERROR: 500,
  WASM_UNAVAILABLE: 500,
  NO_PARTITION_REACHABLE: 503,
};

export const API_ERROR_CODES = Object.keys(HTTP_STATUS_BY_CODE) as ApiErrorCode[];

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(HTTP_STATUS_BY_CODE, code);
}

/** The status of `code`; 500 for a code that is not an `ApiErrorCode`. */
export function httpStatusOf(code: string): number {
  return isApiErrorCode(code) ? HTTP_STATUS_BY_CODE[code] : 500;
}
