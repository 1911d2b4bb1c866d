import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { hasGzipMagic, InvalidInputFileError } from '@squash/io';
import { UsageError } from './args.ts';
import { type CommandIo, resolvePath } from './command-io.ts';

/** One line of a text input, numbered from 1, without its `\n` or `\r\n`. */
export interface InputLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Streams the lines of `path` (gunzipped when it starts with the gzip magic), or of the command's
 * standard input for `-`. Memory is one chunk (64 KiB) plus the longest line; stopping the
 * iteration early closes the file.
 */
export async function* readInputLines(io: CommandIo, path: string, flag: string): AsyncGenerator<InputLine> {
  const source = path === '-' ? stdinOf(io, flag) : await openText(resolvePath(io, path), path);
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let line = 0;
  try {
    for await (const chunk of source) {
      const parts = (carry + decoder.decode(chunk as Uint8Array, { stream: true })).split('\n');
      carry = parts.pop()!;
      for (const part of parts) yield { line: ++line, text: stripCr(part) };
    }
  } catch (error) {
    if (error instanceof InvalidInputFileError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new InvalidInputFileError(
      path,
      { line: line + 1 },
      `cannot be read (${typeof code === 'string' ? code : (error as Error).message})`,
      { cause: error },
    );
  }
  carry += decoder.decode();
  if (carry !== '') yield { line: ++line, text: stripCr(carry) };
}

function stdinOf(io: CommandIo, flag: string): AsyncIterable<unknown> {
  if (io.stdin === undefined) throw new UsageError(`${flag} is "-" but this process has no standard input`);
  return io.stdin;
}

/**
 * Throws `InvalidInputFileError` unless `path` can be read (`-`: the command has a standard input),
 * so a command can check its input before it changes anything (creates an index).
 */
export async function assertReadable(io: CommandIo, path: string, flag: string): Promise<void> {
  if (path === '-') stdinOf(io, flag);
  else await readHead(resolvePath(io, path), path);
}

/** Opens a file as a stream of bytes, gunzipping it when its first two bytes say gzip. */
async function openText(file: string, shown: string): Promise<Readable> {
  const head = await readHead(file, shown);
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  if (!hasGzipMagic(head)) return raw;
  const gunzip = createGunzip();
  // pipe() does not forward a read error; without this the iteration would wait forever.
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/** The first two bytes of a file (fewer when it is shorter); an unreadable file names `shown`. */
async function readHead(file: string, shown: string): Promise<Uint8Array> {
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(new Uint8Array(2), 0, 2, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidInputFileError(
      shown,
      undefined,
      `cannot be read (${typeof code === 'string' ? code : String(error)}); expected a readable file`,
      { cause: error },
    );
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
