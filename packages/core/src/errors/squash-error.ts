/**
 * Stable machine-readable error codes. Code that handles errors checks `code`, which survives
 * serialisation across process and function boundaries; messages are for people.
 */
export type SquashErrorCode =
  | 'INVALID_ARGUMENT'
  | 'DIMENSION_MISMATCH'
  | 'INVALID_FILTER'
  | 'INVALID_INPUT_FILE'
  | 'INDEX_NOT_FOUND'
  | 'INDEX_CORRUPT'
  | 'WASM_UNAVAILABLE'
  | 'BLOB_NOT_FOUND'
  | 'STORAGE_ERROR';

export interface SquashErrorOptions {
  readonly cause?: unknown;
}

/** Base class of every error squash raises on purpose. */
export class SquashError extends Error {
  readonly code: SquashErrorCode;

  constructor(code: SquashErrorCode, message: string, options: SquashErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** A parameter is outside its allowed range or of the wrong kind. */
export class InvalidArgumentError extends SquashError {
  readonly argument: string;

  constructor(argument: string, message: string, options: SquashErrorOptions = {}) {
    super('INVALID_ARGUMENT', message, options);
    this.argument = argument;
  }
}

/** A vector or matrix does not have the dimension the operation expects. */
export class DimensionMismatchError extends SquashError {
  readonly expectedDim: number;
  readonly actualDim: number;

  constructor(expectedDim: number, actualDim: number, message: string) {
    super('DIMENSION_MISMATCH', message);
    this.expectedDim = expectedDim;
    this.actualDim = actualDim;
  }
}

/** A stored or supplied file is malformed or truncated. */
export class InvalidInputFileError extends SquashError {
  readonly file: string;
  /** Byte offset (binary formats) or 1-based line number (text formats) where the problem is. */
  readonly position: { readonly byteOffset: number } | { readonly line: number } | undefined;

  constructor(
    file: string,
    position: InvalidInputFileError['position'],
    message: string,
    options: SquashErrorOptions = {},
  ) {
    const where =
      position === undefined
        ? ''
        : 'byteOffset' in position
          ? ` at byte ${position.byteOffset}`
          : ` at line ${position.line}`;
    super('INVALID_INPUT_FILE', `${file}${where}: ${message}`, options);
    this.file = file;
    this.position = position;
  }
}
