import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitError, type FunctionErrorPayload, timeoutError } from './function-error.ts';
import type { LogTail } from './log-tail.ts';
import type { InvokeMessage, WorkerMessage } from './worker-messages.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));
let tsxLoaderUrl: string | undefined;

/**
 * The tsx loader, resolved from this package rather than left as a bare `tsx` (which Node would
 * resolve from the worker's cwd), and only when a TypeScript handler needs it.
 */
export function tsxLoader(): string {
  tsxLoaderUrl ??= import.meta.resolve('tsx');
  return tsxLoaderUrl;
}

/** How to start a worker; resolved from the function's options by the pool. */
export interface WorkerSpec {
  readonly handlerModule: string;
  readonly handlerExport: string;
  /** The complete environment of the worker process. */
  readonly env: Readonly<Record<string, string>>;
  /** Becomes the V8 heap limit, the nearest thing to Lambda's memory cap a process has. */
  readonly memoryMb: number;
  /** Whether to load the tsx loader so TypeScript handler modules can be imported. */
  readonly tsx: boolean;
  readonly output: 'ignore' | 'inherit';
}

/** What one invocation on a worker came to. After `timed-out` and `exited` the worker is gone. */
export type WorkerOutcome =
  | { readonly kind: 'returned'; readonly payload: string; readonly maxMemoryUsedMb: number }
  | { readonly kind: 'threw'; readonly error: FunctionErrorPayload; readonly maxMemoryUsedMb: number }
  | { readonly kind: 'timed-out'; readonly error: FunctionErrorPayload }
  | { readonly kind: 'exited'; readonly error: FunctionErrorPayload };

/** Result of the init phase: the handler module imported, or why not (the worker is then gone). */
export type InitOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: FunctionErrorPayload };

interface PendingInvocation {
  readonly requestId: string;
  readonly timeoutMs: number;
  readonly resolve: (outcome: WorkerOutcome) => void;
  readonly timer: NodeJS.Timeout;
  timedOut: boolean;
}

/**
 * The runtime's side of one worker process: a Lambda execution environment serving one
 * invocation at a time. It enforces the timeout by SIGKILL (a handler stuck in a busy loop cannot
 * be interrupted any other way) and turns every way a process can end into an outcome, so an
 * invocation always gets an answer.
 */
export class WorkerProcess {
  readonly pid: number | undefined;
  /** Resolves once the process has exited and its IPC channel has drained. */
  readonly closed: Promise<void>;
  /** Called once when the process has gone, whatever the cause. */
  onClose: (() => void) | undefined;
  private readonly child: ChildProcess;
  private isClosed = false;
  private logSink: LogTail | undefined;
  private pending: PendingInvocation | undefined;
  private initWaiter: ((outcome: InitOutcome) => void) | undefined;
  private fatal: FunctionErrorPayload | undefined;

  /** Forks the worker; the handler module is imported in the background (see `waitUntilReady`). */
  constructor(spec: WorkerSpec) {
    this.child = fork(WORKER_ENTRY, [spec.handlerModule, spec.handlerExport], {
      execArgv: [...(spec.tsx ? ['--import', tsxLoader()] : []), `--max-old-space-size=${spec.memoryMb}`],
      env: spec.env,
      stdio:
        spec.output === 'inherit'
          ? ['ignore', 'inherit', 'inherit', 'ipc']
          : ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json',
    });
    this.pid = this.child.pid;
    this.child.on('message', (message: WorkerMessage) => this.receive(message));
    this.closed = new Promise((resolve) => {
      // 'close' rather than 'exit': it waits for the IPC channel, so no message is left unread.
      this.child.once('close', (code, signal) => {
        this.handleClose(code, signal);
        resolve();
      });
      // A failed spawn (EAGAIN, ENOMEM) may emit 'error' without 'close'. Other errors (a kill or
      // send racing the exit) need no action: 'close' follows and settles everything.
      this.child.on('error', () => {
        if (this.child.pid === undefined) {
          this.handleClose(null, null);
          resolve();
        }
      });
    });
  }

  get alive(): boolean {
    return !this.isClosed;
  }

  /**
   * Waits for the handler module to load (the init phase of a cold start). Log output of the init
   * phase goes to `log`. On failure the worker is dead when this resolves.
   */
  waitUntilReady(initTimeoutMs: number, log: LogTail): Promise<InitOutcome> {
    this.logSink = log;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.fatal = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Init phase timed out after ${(initTimeoutMs / 1000).toFixed(2)} seconds`,
          trace: [],
        };
        this.child.kill('SIGKILL');
      }, initTimeoutMs);
      this.initWaiter = (outcome) => {
        clearTimeout(timer);
        this.initWaiter = undefined;
        if (outcome.ok) resolve(outcome);
        // Report the failure only once the process is gone, so callers never see a half-dead worker.
        else void this.closed.then(() => resolve(outcome));
      };
      if (this.isClosed) this.initWaiter({ ok: false, error: this.closeError(null, null) });
    });
  }

  /** Runs one invocation. Never rejects: timeouts and crashes come back as outcomes. */
  invoke(message: InvokeMessage, timeoutMs: number, log: LogTail): Promise<WorkerOutcome> {
    this.logSink = log;
    return new Promise((resolve) => {
      if (this.isClosed) {
        resolve({ kind: 'exited', error: this.closeError(null, null) });
        return;
      }
      const timer = setTimeout(() => {
        if (this.pending !== undefined) this.pending.timedOut = true;
        this.child.kill('SIGKILL');
      }, timeoutMs);
      this.pending = { requestId: message.requestId, timeoutMs, resolve, timer, timedOut: false };
      // A send that fails means the channel closed under us; 'close' then answers the invocation.
      this.child.send(message, () => {});
    });
  }

  /**
   * Stops the process: SIGTERM, then SIGKILL after `graceMs` if it is still running. Resolves
   * when it has exited.
   */
  async terminate(graceMs: number): Promise<void> {
    if (this.isClosed) return;
    this.child.kill('SIGTERM');
    const escalation = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.closed;
    clearTimeout(escalation);
  }

  private receive(message: WorkerMessage): void {
    switch (message.type) {
      case 'log':
        this.logSink?.append(message.text);
        return;
      case 'ready':
        this.initWaiter?.({ ok: true });
        return;
      case 'init-error':
        this.initWaiter?.({ ok: false, error: message.error });
        return;
      case 'fatal':
        this.fatal = message.error;
        return;
      case 'result': {
        const pending = this.takePending(message.requestId);
        const { outcome, maxMemoryUsedMb } = message;
        pending?.resolve(
          outcome.ok
            ? { kind: 'returned', payload: outcome.payload, maxMemoryUsedMb }
            : { kind: 'threw', error: outcome.error, maxMemoryUsedMb },
        );
        return;
      }
    }
  }

  /** The invocation in flight if `requestId` is it and it has not timed out; stale results get none. */
  private takePending(requestId: string): PendingInvocation | undefined {
    const pending = this.pending;
    if (pending === undefined || pending.requestId !== requestId || pending.timedOut) return undefined;
    clearTimeout(pending.timer);
    this.pending = undefined;
    return pending;
  }

  private handleClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const error = this.closeError(code, signal);
    this.initWaiter?.({ ok: false, error });
    const pending = this.pending;
    if (pending !== undefined) {
      clearTimeout(pending.timer);
      this.pending = undefined;
      pending.resolve(
        pending.timedOut
          ? { kind: 'timed-out', error: timeoutError(pending.timeoutMs) }
          : { kind: 'exited', error },
      );
    }
    this.onClose?.();
  }

  private closeError(code: number | null, signal: NodeJS.Signals | null): FunctionErrorPayload {
    return this.fatal ?? exitError(code, signal);
  }
}
