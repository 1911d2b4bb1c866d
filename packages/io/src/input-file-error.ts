import { SquashError, type SquashErrorOptions } from '@squash/errors';

/** Codes of the errors the file readers and writers raise (besides `INVALID_ARGUMENT`). */
export type InputFileErrorCode = 'INVALID_INPUT_FILE';

/** A stored or supplied file is malformed or truncated. */
export class InvalidInputFileError extends SquashError<InputFileErrorCode> {
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
