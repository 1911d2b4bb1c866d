import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * Starts and stops `moto_server` (the Python AWS emulator, moto 5.x) for the emulated deployment
 * suite. State lives in the process's memory, so every run starts from an empty account.
 */

export interface MotoServer {
  /**
   * `http://localhost:<port>`. Not 127.0.0.1: moto reads the bucket of a virtual-hosted S3 URL from
   * the host name, so CloudFormation's template URL on `127.0.0.1` names bucket "127"
   * (measured: cdklocal deploy then fails with "The specified bucket does not exist").
   */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM to the PID, SIGKILL after `graceMs`; resolves once the process has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** The absolute path of `moto_server` on `PATH`, or `undefined` when it is not installed. */
export function findMotoServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'moto_server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartMotoOptions {
  /** @default findMotoServer() */
  readonly executable?: string | undefined;
  /** @default a free port */
  readonly port?: number;
  /** Longest wait for moto to answer. @default 30000 */
  readonly readyTimeoutMs?: number;
  /** Receives moto's output lines (its request log). @default dropped */
  readonly log?: (line: string) => void;
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <port>` and resolves once it answers HTTP.
 *
 * @throws Error when moto_server is not installed, exits early, or does not answer in time (the
 *   process is killed first).
 */
export async function startMotoServer(options: StartMotoOptions = {}): Promise<MotoServer> {
  const executable = options.executable ?? findMotoServer();
  if (executable === undefined) throw new Error('moto_server is not on PATH (pip install "moto[server]")');
  const port = options.port ?? (await freePort());
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Line-buffered output, so the "Running on" line arrives when it is printed.
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const log = options.log ?? (() => {});
  // Only our own process announcing its socket proves readiness: when the port is taken, another
  // server would answer the HTTP probe while this one exits with "Address already in use".
  const listening = { announced: false };
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line.includes(`Running on http://127.0.0.1:${port}`)) listening.announced = true;
        if (line !== '') log(line);
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = stopper(child, exited);
  try {
    await waitUntilAnswering(
      `http://127.0.0.1:${port}/moto-api/`,
      options.readyTimeoutMs ?? 30_000,
      child,
      listening,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://localhost:${port}`, port, pid: child.pid!, stop };
}

function stopper(child: ChildProcess, exited: Promise<void>): (graceMs?: number) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (graceMs = 3000) => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
}

async function waitUntilAnswering(
  url: string,
  timeoutMs: number,
  child: ChildProcess,
  listening: { readonly announced: boolean },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    if (!listening.announced) {
      lastError = 'it has not reported listening yet';
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer ${url} within ${timeoutMs} ms (${lastError})`);
}
