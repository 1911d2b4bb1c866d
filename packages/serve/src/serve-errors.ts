/**
 * Errors of `squash serve`: what its HTTP front answers by itself (before or instead of the
 * coordinator) and why it refuses to start. Each code is stable; `REJECTION_STATUS` is the one
 * place the front's codes become HTTP statuses, and a code without a status fails the typecheck.
 */

/** Codes the HTTP front answers with. The coordinator's own codes pass through untouched. */
export type RejectionCode =
  /** The path has malformed percent-encoding (`%zz`, a lone `%`). */
  | 'INVALID_PATH'
  /** An API key is configured and the request's `x-api-key` is missing or wrong. */
  | 'UNAUTHORIZED'
  /** No route: an encoded `/` (`%2F`) inside a segment never separates segments. */
  | 'ROUTE_NOT_FOUND'
  /** The body did not arrive within the body deadline. */
  | 'REQUEST_TIMEOUT'
  /** The body, or the Lambda event wrapping it, is over Lambda's 6 MiB request limit. */
  | 'PAYLOAD_TOO_LARGE'
  /** The admission queue is full, a request waited its longest, or the coordinator is throttled. */
  | 'TOO_MANY_REQUESTS'
  /** The coordinator failed (crashed twice, timed out, answered something that is not a result). */
  | 'INTERNAL';

/** The HTTP status of each code the front answers with. */
export const REJECTION_STATUS: Readonly<Record<RejectionCode, number>> = {
  INVALID_PATH: 400,
  UNAUTHORIZED: 401,
  ROUTE_NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
};

/** Codes of the errors `startSquashServer` throws before serving anything. */
export type StartErrorCode =
  /** An option is malformed or out of range. */
  | 'INVALID_OPTION'
  /** `host` is not a loopback address and no API key was given. */
  | 'API_KEY_REQUIRED';

/** Every code of this package. */
export type ServeErrorCode = RejectionCode | StartErrorCode;

/** The root class: a stable `code` and an optional `cause`. */
export class ServeError<Code extends ServeErrorCode = ServeErrorCode> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeError';
    this.code = code;
  }
}

/** A request the front answers itself. `retryAfterS` becomes `Retry-After` (429). */
export class RequestRejectedError extends ServeError<RejectionCode> {
  readonly retryAfterS: number | undefined;

  constructor(code: RejectionCode, message: string, options: { retryAfterS?: number; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'RequestRejectedError';
    this.retryAfterS = options.retryAfterS;
  }

  get status(): number {
    return REJECTION_STATUS[this.code];
  }
}

/** `startSquashServer` cannot start with these options; the message says how to fix them. */
export class StartError extends ServeError<StartErrorCode> {
  /** The option at fault, e.g. `host`. */
  readonly option: string;

  constructor(code: StartErrorCode, option: string, message: string) {
    super(code, message);
    this.name = 'StartError';
    this.option = option;
  }
}

/** A user value quoted in a message, cut to `maxChars` so an error never echoes megabytes. */
export function quote(value: string, maxChars = 80): string {
  return JSON.stringify(value.length <= maxChars ? value : `${value.slice(0, maxChars)}...`);
}
