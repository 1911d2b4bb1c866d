/**
 * Errors of the local Lambda runtime. Dependency-free on purpose: the runtime needs no math core
 * to say that an option is wrong. Callers branch on `code`, which survives serialisation.
 */

/** Every code a `LambdaRuntimeError` can carry. */
export type LambdaRuntimeErrorCode =
  /** An option of `startLambdaRuntime` is missing, malformed or out of range. */
  | 'INVALID_OPTION'
  /** A function name that the runtime does not serve (`stats`, `injectFault`). */
  | 'UNKNOWN_FUNCTION';

/** The root class: a stable `code`, the option or argument at fault, and an optional `cause`. */
export class LambdaRuntimeError extends Error {
  readonly code: LambdaRuntimeErrorCode;
  /** The option path or argument the error is about, e.g. `functions[0].timeoutMs`. */
  readonly argument: string;

  constructor(
    code: LambdaRuntimeErrorCode,
    argument: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LambdaRuntimeError';
    this.code = code;
    this.argument = argument;
  }
}

/** An option of `startLambdaRuntime` that cannot be used; the message names the value and what is allowed. */
export class InvalidOptionError extends LambdaRuntimeError {
  constructor(argument: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', argument, message, options);
    this.name = 'InvalidOptionError';
  }
}

/** A function name the runtime does not serve. */
export class UnknownFunctionError extends LambdaRuntimeError {
  readonly functionName: string;

  constructor(functionName: string, known: readonly string[]) {
    super('UNKNOWN_FUNCTION', 'functionName', `no function "${functionName}"; known: ${known.join(', ')}`);
    this.name = 'UnknownFunctionError';
    this.functionName = functionName;
  }
}
