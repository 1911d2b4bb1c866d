export interface SquashErrorOptions {
  readonly cause?: unknown;
}

/**
 * Base class of every error squash raises on purpose. `code` is stable and machine-readable; code
 * that handles errors checks it (it survives serialisation across processes and functions), and
 * messages are for people. Each package declares its own union of codes and subclasses with typed
 * context fields (`CoreErrorCode` in core, `StorageErrorCode` in storage, ...); the HTTP layer maps
 * the union of all of them to statuses in one `Record`, so a code without a status fails the type
 * check.
 */
export class SquashError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options: SquashErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** A parameter is outside its allowed range or of the wrong kind. Raised by every layer. */
export class InvalidArgumentError extends SquashError<'INVALID_ARGUMENT'> {
  readonly argument: string;

  constructor(argument: string, message: string, options: SquashErrorOptions = {}) {
    super('INVALID_ARGUMENT', message, options);
    this.argument = argument;
  }
}
