import { isAbsolute, resolve } from 'node:path';
import { type BlobStore, openBlobStore, parseStoreUri } from '@squash/storage';
import { UsageError } from './args.ts';
import type { InterruptWatch } from './interrupt.ts';

/** The part of a writable stream the CLI uses, so tests can pass a string collector. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal: progress then redraws one line. */
  readonly isTTY?: boolean;
}

/**
 * Everything a command touches outside its arguments. The `squash` binary passes the process's
 * streams, cwd and environment; tests pass collectors and a temporary directory.
 */
export interface CommandIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Directory that relative file paths and store paths are resolved against. */
  readonly cwd: string;
  /**
   * Environment variables read by the CLI (`SQUASH_DEBUG=1` prints stack traces). The S3 client
   * reads its own settings (`AWS_ENDPOINT_URL_S3`, `AWS_REGION`, credentials) from the process.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Standard input, read by flags that accept `-` for a file (`squash upsert --input -`). */
  readonly stdin?: AsyncIterable<unknown>;
  /** Ctrl-C handling of the process; absent in tests that do not exercise it. */
  readonly interrupts?: InterruptWatch;
}

/** A command: parses its own argv and returns the process exit code (0, 1, 2 or 130). */
export type Command = (argv: readonly string[], io: CommandIo) => Promise<number>;

/**
 * A file path as the command should open it: unchanged when absolute or when `cwd` is the
 * process's own (so error messages show the path as typed), else resolved against `cwd`.
 */
export function resolvePath(io: CommandIo, path: string): string {
  if (isAbsolute(path) || resolve(io.cwd) === process.cwd()) return path;
  return resolve(io.cwd, path);
}

/**
 * Opens the store a URI names (`s3://bucket/prefix`, a directory, `file://`, `memory://name`), a
 * relative directory resolved against `cwd`. A malformed URI is a usage error naming `what` (the
 * flag or argument it came from). Opening does no I/O.
 */
export function openStore(io: CommandIo, uri: string, what: string): BlobStore {
  let location: ReturnType<typeof parseStoreUri>;
  try {
    location = parseStoreUri(uri);
  } catch (error) {
    throw new UsageError(`${what} is ${JSON.stringify(uri)}: ${(error as Error).message}`);
  }
  const local = location.kind === 'filesystem' && !/^file:\/\//i.test(uri);
  return openBlobStore(local ? resolvePath(io, uri) : uri);
}
