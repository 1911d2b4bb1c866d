/**
 * Runs CLI commands in-process against a temporary directory and captures what they print.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import type { CommandIo, InterruptWatch } from '../src/index.ts';
import { runCli } from '../src/index.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: Record<string, string>;
  readonly interrupts?: InterruptWatch;
  readonly tty?: boolean;
  /** What the command reads as standard input (`--input -`). @default none */
  readonly stdin?: string;
}

/** Runs `squash <argv...>` with `cwd` as the working directory. */
export async function squash(
  cwd: string,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.tty === true },
    cwd,
    env: options.env ?? {},
    ...(options.interrupts === undefined ? {} : { interrupts: options.interrupts }),
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(options.stdin)]) }),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary directory for the test file, removed afterwards; read `.path` inside tests. */
export function useTempDir(prefix = 'squash-cli-'): { readonly path: string } {
  const holder = { path: '' };
  beforeAll(async () => {
    holder.path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (holder.path !== '') await rm(holder.path, { recursive: true, force: true });
  });
  return holder;
}

/** Parses the JSON lines `squash search` prints. */
export function parseResults(text: string): Array<{ ids: string[]; distances: number[] }> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { ids: string[]; distances: number[] });
}
