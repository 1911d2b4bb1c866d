import { SquashError } from '@squash/errors';

/** Codes of refused writes (statuses: `HTTP_STATUS_BY_CODE` in contracts, all 400 but FORBIDDEN). */
export type WriteErrorCode =
  | 'INVALID_REQUEST'
  | 'DIMENSION_MISMATCH'
  | 'INVALID_ID'
  | 'DUPLICATE_ID'
  | 'INVALID_ATTRIBUTE'
  | 'METADATA_TOO_LARGE'
  | 'FORBIDDEN';

/**
 * A write (or fetch) refused before anything was stored. The message names the row and field
 * (`vectors[3].id ...`), the value received and what is allowed.
 */
export class WriteError extends SquashError<WriteErrorCode> {}
