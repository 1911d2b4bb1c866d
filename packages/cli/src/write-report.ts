import type { CommandIo } from './command-io.ts';
import type { Progress } from './progress.ts';
import type { WriteBatch } from './write-batches.ts';
import { runWrites, WriteStoppedError, type WriteSummary } from './write-run.ts';

export interface WriteAndReportOptions {
  readonly index: string;
  readonly input: string;
  readonly json: boolean;
  readonly io: CommandIo;
  readonly progress: Progress;
  readonly batches: AsyncIterable<WriteBatch>;
  readonly send: (values: unknown[]) => Promise<{ count: number; sequence: number }>;
  /** More fields of the `--json` object (`created`). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * Runs the writes with progress on stderr. With `--json` the summary is printed as one object on
 * stdout, also when the run stops early (with its `error`); the failure is then rethrown, so the
 * message goes to stderr and the exit code is 1.
 */
export async function writeAndReport(options: WriteAndReportOptions): Promise<WriteSummary> {
  const { io, progress } = options;
  try {
    const summary = await runWrites(options.batches, {
      index: options.index,
      input: options.input,
      send: options.send,
      progress,
      io,
    });
    progress.finish(`${summary.rows} acknowledged in ${requests(summary.requests)}`);
    if (options.json) io.stdout.write(`${JSON.stringify({ ...summary, ...options.extra })}\n`);
    return summary;
  } catch (error) {
    if (error instanceof WriteStoppedError) {
      progress.finish(`stopped after ${error.summary.rows} rows`);
      if (options.json) io.stdout.write(`${JSON.stringify({ ...error.summary, ...options.extra })}\n`);
    }
    throw error;
  }
}

/** The text summary: rows, requests, rate and the last log sequence. */
export function describeSummary(summary: WriteSummary, verb: 'upserted' | 'deleted'): string {
  const lines = [
    `${verb.padEnd(12)}${summary.rows} ${verb === 'upserted' ? 'rows' : 'ids'} in ${requests(summary.requests)} (input lines 1..${summary.lastLine})`,
    `rate        ${summary.rowsPerSecond} rows/s (${summary.seconds} s)`,
    `sequence    ${summary.sequence} (the log entry of the last request)`,
  ];
  return `${lines.join('\n')}\n`;
}

function requests(n: number): string {
  return `${n} request${n === 1 ? '' : 's'}`;
}
