import { spawn } from 'node:child_process';

export interface RunCommandOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Killed (SIGTERM to its PID, SIGKILL 5 s later) when it runs longer. */
  readonly timeoutMs: number;
  /** Reject on a non-zero exit. @default true */
  readonly check?: boolean;
  /** Aborting it sends the child SIGTERM (the caller is shutting down). */
  readonly signal?: AbortSignal;
}

/**
 * Runs a command with inherited output and a time limit; resolves with its exit status.
 *
 * @throws Error naming the command when it cannot start, times out, or (with `check`) fails.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<number> {
  const shown = `${command} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: 'inherit',
      ...(options.signal === undefined ? {} : { signal: options.signal, killSignal: 'SIGTERM' as const }),
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(child.pid!, 'SIGTERM');
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      }, 5000).unref();
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${shown} could not start: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const status = code ?? 128;
      if (timedOut) reject(new Error(`${shown} took longer than ${options.timeoutMs} ms and was stopped`));
      else if ((options.check ?? true) && status !== 0)
        reject(new Error(`${shown} exited with ${signal ?? status}`));
      else resolve(status);
    });
  });
}
