/**
 * The body AWS Lambda returns with `X-Amz-Function-Error: Unhandled`: what the handler threw, or
 * what the sandbox did to it (timeout, crash, oversized response). Serialised exactly as AWS
 * does, so clients that parse AWS function errors parse ours.
 */
export interface FunctionErrorPayload {
  /** `error.name` for thrown errors, or a runtime type such as `Sandbox.Timedout`. */
  readonly errorType: string;
  readonly errorMessage: string;
  /** Stack lines of a thrown error, as the AWS Node.js runtime reports them; empty otherwise. */
  readonly trace: readonly string[];
}

/** `Sandbox.Timedout`: the handler ran past the function timeout and its worker was killed. */
export function timeoutError(timeoutMs: number): FunctionErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
    trace: [],
  };
}

/** `Runtime.ExitError`: the worker process ended while it owed a response. */
export function exitError(exitCode: number | null, signal: NodeJS.Signals | null): FunctionErrorPayload {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `Runtime exited with error: ${describeExit(exitCode, signal)}`,
    trace: [],
  };
}

/** `Function.ResponseSizeTooLarge`: the result serialised to more bytes than AWS returns. */
export function responseTooLargeError(maxBytes: number): FunctionErrorPayload {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${maxBytes} bytes).`,
    trace: [],
  };
}

/** Go-style exit description, as the AWS runtime API words it (`exit status 1`, `signal: killed`). */
function describeExit(exitCode: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `signal: ${SIGNAL_WORDS[signal] ?? signal}`;
  return `exit status ${exitCode ?? 'unknown'}`;
}

const SIGNAL_WORDS: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
};
