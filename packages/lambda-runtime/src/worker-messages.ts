import type { FunctionErrorPayload } from './function-error.ts';

/**
 * The IPC protocol between the runtime (parent) and a worker process. One invocation at a time
 * per worker, as in a Lambda execution environment. Log output travels on the same channel as
 * results, so every line a handler printed arrives before its result (stdout and stderr pipes
 * give no such ordering against IPC).
 */

/**
 * A failure forced on the next invocation, so crash and timeout handling can be tested with
 * real handlers: `crash` exits the worker with status 1 before the handler runs; `hang` never
 * calls the handler and never answers, so the function timeout fires.
 */
export type WorkerFault = 'crash' | 'hang';

/** Parent -> worker: run the handler once. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The request body, already validated as JSON (`'{}'` for an empty body). */
  readonly payload: string;
  /** Epoch milliseconds when the function timeout fires; feeds `getRemainingTimeInMillis()`. */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  /** Decoded `X-Amz-Client-Context` JSON, if the caller sent one. */
  readonly clientContext: string | undefined;
  readonly fault: WorkerFault | undefined;
}

export type ParentMessage = InvokeMessage;

/** Worker -> parent: the handler module loaded and exported a function. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Worker -> parent: the handler module failed to load; the worker exits next. */
export interface InitErrorMessage {
  readonly type: 'init-error';
  readonly error: FunctionErrorPayload;
}

/** Worker -> parent: text the worker wrote to stdout or stderr. */
export interface LogMessage {
  readonly type: 'log';
  readonly text: string;
}

/** Worker -> parent: the outcome of one invocation. */
export interface ResultMessage {
  readonly type: 'result';
  readonly requestId: string;
  /** True on the first invocation this process served. */
  readonly coldStart: boolean;
  /** Peak resident set size of the worker so far, for the REPORT log line. */
  readonly maxMemoryUsedMb: number;
  readonly outcome:
    | { readonly ok: true; readonly payload: string }
    | { readonly ok: false; readonly error: FunctionErrorPayload };
}

/**
 * Worker -> parent: an uncaught exception or unhandled rejection; the worker exits next and the
 * invocation reports this error instead of a bare `Runtime.ExitError`.
 */
export interface FatalMessage {
  readonly type: 'fatal';
  readonly error: FunctionErrorPayload;
}

export type WorkerMessage = ReadyMessage | InitErrorMessage | LogMessage | ResultMessage | FatalMessage;
