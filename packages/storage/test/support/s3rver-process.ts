import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running s3rver child process; `stop()` kills it and removes its data directory. */
export interface S3rverProcess {
  /** e.g. `http://127.0.0.1:41233` */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** s3rver's built-in account. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts s3rver on 127.0.0.1 on a free port chosen by the OS (`-p 0`; the bound port is read
 * from its "listening" line), with a fresh temp data directory.
 *
 * It runs as a child `node --openssl-legacy-provider` process: s3rver encrypts ListObjectsV2
 * continuation tokens with DES, which OpenSSL 3 only offers through the legacy provider, and the
 * flag must be in effect for the process that runs s3rver (setting NODE_OPTIONS inside a running
 * test worker is too late). A child also keeps s3rver's event loop away from the test's.
 */
export async function startS3rver(): Promise<S3rverProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'squash-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      bin,
      '--directory',
      dataDir,
      '--address',
      '127.0.0.1',
      '--port',
      '0',
      '--silent',
    ],
    // NODE_OPTIONS is cleared so loaders the test runner installed are not inherited by s3rver.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  // If the test worker dies before stop() runs, do not leave the server behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  try {
    const port = await waitForPort(child);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      dataDir,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      stop: async () => {
        process.removeListener('exit', killOnExit);
        await stopChild(child);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`s3rver did not start within ${STARTUP_TIMEOUT_MS} ms; stderr: ${stderr}`)),
      STARTUP_TIMEOUT_MS,
    );
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString();
      const match = /listening on [\d.]+:(\d+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited before listening (code ${code}, signal ${signal}); stderr: ${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
