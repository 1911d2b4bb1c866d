import { execFile } from 'node:child_process';

export interface RunChildOptions {
  readonly cwd: string;
  /** The child is killed (SIGTERM) past this. */
  readonly timeoutMs: number;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs `command args` to completion and returns its stdout. Rejects with the command line, the
 * exit status and the tail of stderr when it fails or outlives `timeoutMs`, so a failed pack step
 * says which step and why.
 */
export function runChild(
  command: string,
  args: readonly string[],
  options: RunChildOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        const shown = [command, ...args].join(' ');
        const why = error.killed
          ? `was stopped after ${options.timeoutMs} ms`
          : `exited with ${error.code ?? error.signal}`;
        const tail = `${stderr}${stdout}`.trim().split('\n').slice(-20).join('\n');
        reject(new Error(`${shown} (in ${options.cwd}) ${why}:\n${tail}`, { cause: error }));
      },
    );
  });
}
