import { SquashError } from '@squash/errors';

export type { SquashErrorOptions } from '@squash/errors';
export { InvalidArgumentError, SquashError } from '@squash/errors';

/**
 * Codes of the errors core raises. Other packages declare their own (`StorageErrorCode`,
 * `IndexFormatErrorCode`, `InputFileErrorCode`, `RequestErrorCode`); the HTTP layer maps their
 * union to statuses in one `Record`.
 */
export type CoreErrorCode = 'INVALID_ARGUMENT' | 'DIMENSION_MISMATCH' | 'INVALID_FILTER' | 'WASM_UNAVAILABLE';

/** A vector or matrix does not have the dimension the operation expects. */
export class DimensionMismatchError extends SquashError<'DIMENSION_MISMATCH'> {
  readonly expectedDim: number;
  readonly actualDim: number;

  constructor(expectedDim: number, actualDim: number, message: string) {
    super('DIMENSION_MISMATCH', message);
    this.expectedDim = expectedDim;
    this.actualDim = actualDim;
  }
}
