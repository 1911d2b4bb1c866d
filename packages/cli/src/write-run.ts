import { SquashError } from '@squash/errors';
import { InvalidInputFileError } from '@squash/io';
import type { CommandIo } from './command-io.ts';
import { InterruptedError, throwIfInterrupted } from './interrupt.ts';
import type { Progress } from './progress.ts';
import type { WriteBatch } from './write-batches.ts';
import { WriteInputError } from './write-batches.ts';

/** What `upsert` and `delete` report at the end (`--json`: this object). */
export interface WriteSummary {
  readonly index: string;
  /** Rows (or ids) acknowledged: durable, and seen by every query that starts afterwards. */
  readonly rows: number;
  readonly requests: number;
  /** Log sequence of the last acknowledged request (0: none). */
  readonly sequence: number;
  /** Last input line of the last acknowledged request (0: none); resume after it. */
  readonly lastLine: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Why the command stopped early. */
  readonly error?: { readonly code: string; readonly message: string; readonly line?: number };
}

/**
 * A write stopped: an input line could not be sent or a request was refused. `code` is the API's
 * (or the input's) code; the message names the line and how many rows were acknowledged before.
 */
export class WriteStoppedError extends SquashError {
  constructor(
    code: string,
    message: string,
    readonly summary: WriteSummary,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

export interface RunWritesOptions {
  readonly index: string;
  /** The input as typed, for messages. */
  readonly input: string;
  /** Sends one request; each is atomic (applied whole or not at all). */
  readonly send: (values: unknown[]) => Promise<{ count: number; sequence: number }>;
  readonly progress: Progress;
  readonly io: CommandIo;
}

/**
 * Sends `batches` one request at a time, in order, and returns the summary; stops at the first
 * failure with `WriteStoppedError`. Requests acknowledged before a failure stay applied.
 */
export async function runWrites(
  batches: AsyncIterable<WriteBatch>,
  options: RunWritesOptions,
): Promise<WriteSummary> {
  const started = performance.now();
  let rows = 0;
  let requests = 0;
  let sequence = 0;
  let lastLine = 0;
  const summary = (error?: WriteSummary['error']): WriteSummary => {
    const seconds = (performance.now() - started) / 1000;
    return {
      index: options.index,
      rows,
      requests,
      sequence,
      lastLine,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
      ...(error === undefined ? {} : { error }),
    };
  };
  const acknowledged = () =>
    rows === 0
      ? 'no rows were acknowledged before it'
      : `${rows} rows were acknowledged before it (lines 1..${lastLine}, up to log sequence ${sequence}; they stay applied)`;
  const iterator = batches[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<WriteBatch>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw inputFailure(error, options.input, acknowledged(), lastLine, summary);
    }
    if (next.done) return summary();
    const batch = next.value;
    let answer: { count: number; sequence: number };
    try {
      answer = await options.send(batch.values);
    } catch (error) {
      throw requestFailure(error, options.input, batch, acknowledged(), summary);
    }
    rows += answer.count;
    requests++;
    sequence = answer.sequence;
    lastLine = batch.lines.at(-1)!;
    options.progress.update(`${rows} rows, ${requests} requests`);
    try {
      await throwIfInterrupted(options.io.interrupts);
    } catch (error) {
      if (error instanceof InterruptedError) {
        options.io.stderr.write(
          `${rows} rows were acknowledged (lines 1..${lastLine}, up to log sequence ${sequence})\n`,
        );
      }
      throw error;
    }
  }
}

function inputFailure(
  error: unknown,
  input: string,
  acknowledged: string,
  lastLine: number,
  summary: (error?: WriteSummary['error']) => WriteSummary,
): unknown {
  const notSent = lastLine === 0 ? 'nothing was sent' : `nothing after line ${lastLine} was sent`;
  if (error instanceof WriteInputError) {
    const message = `${input} line ${error.line}: ${error.code}: ${error.message}; ${acknowledged}; ${notSent}`;
    return new WriteStoppedError(
      error.code,
      message,
      summary({ code: error.code, message: error.message, line: error.line }),
      { cause: error },
    );
  }
  if (error instanceof InvalidInputFileError) {
    const message = `${error.message}; ${acknowledged}; ${notSent}`;
    const line = error.position !== undefined && 'line' in error.position ? error.position.line : undefined;
    return new WriteStoppedError(
      error.code,
      message,
      summary({ code: error.code, message: error.message, ...(line === undefined ? {} : { line }) }),
      { cause: error },
    );
  }
  return error;
}

/**
 * A refused request. The API names the bad row as `vectors[i]` or `ids[i]`; that is mapped back to
 * its input line. Errors without a code (bugs) pass through unchanged.
 */
function requestFailure(
  error: unknown,
  input: string,
  batch: WriteBatch,
  acknowledged: string,
  summary: (error?: WriteSummary['error']) => WriteSummary,
): unknown {
  const code = (error as { code?: unknown }).code;
  if (!(error instanceof Error) || typeof code !== 'string') return error;
  const row = /\b(?:vectors|ids)\[(\d+)\]/.exec(error.message);
  const line = row === null ? undefined : batch.lines[Number(row[1])];
  const first = batch.lines[0]!;
  const last = batch.lines.at(-1)!;
  const where = line === undefined ? `the request for lines ${first}..${last}` : `${input} line ${line}`;
  const message =
    `${where}: ${code}: ${error.message}; ${acknowledged}; ` +
    `nothing of the request for lines ${first}..${last} was written (a request is applied whole or not at all)`;
  return new WriteStoppedError(
    code,
    message,
    summary({ code, message: error.message, ...(line === undefined ? {} : { line }) }),
    {
      cause: error,
    },
  );
}
