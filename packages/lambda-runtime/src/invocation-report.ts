import type { FunctionErrorPayload } from './function-error.ts';
import { LATEST_VERSION } from './lambda-limits.ts';
import type { LogTail } from './log-tail.ts';

/** Figures of one finished invocation, for its REPORT line. */
export interface InvocationFigures {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memoryMb: number;
  /** Unknown when the worker died before answering. */
  readonly maxMemoryUsedMb: number | undefined;
  /** Set on a cold start: how long forking and importing the handler module took. */
  readonly initDurationMs: number | undefined;
}

/**
 * Writes the platform lines AWS puts around an invocation's own output in CloudWatch Logs
 * (START, END, REPORT; and for a timeout or crash the error line), so the log tail reads like
 * the one AWS returns.
 */
export const platformLog = {
  start(log: LogTail, requestId: string): void {
    log.append(`START RequestId: ${requestId} Version: ${LATEST_VERSION}\n`);
  },

  /** The line AWS logs when the sandbox, not the handler, ended an invocation (timeout, crash). */
  sandboxError(log: LogTail, requestId: string, error: FunctionErrorPayload): void {
    if (error.errorType === 'Sandbox.Timedout') {
      log.append(`${new Date().toISOString()} ${requestId} ${error.errorMessage}\n`);
    } else {
      log.append(`RequestId: ${requestId} Error: ${error.errorMessage}\n${error.errorType}\n`);
    }
  },

  end(log: LogTail, figures: InvocationFigures): void {
    const fields = [
      `Duration: ${figures.durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(figures.durationMs))} ms`,
      `Memory Size: ${figures.memoryMb} MB`,
    ];
    if (figures.maxMemoryUsedMb !== undefined) fields.push(`Max Memory Used: ${figures.maxMemoryUsedMb} MB`);
    if (figures.initDurationMs !== undefined)
      fields.push(`Init Duration: ${figures.initDurationMs.toFixed(2)} ms`);
    log.append(`END RequestId: ${figures.requestId}\n`);
    log.append(`REPORT RequestId: ${figures.requestId}\t${fields.join('\t')}\t\n`);
  },
};
