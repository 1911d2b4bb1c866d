import type { OutputStream } from './command-io.ts';
import { formatSeconds } from './format.ts';

/**
 * Progress of the long stages of a command, written to stderr so stdout stays machine-readable.
 * On a terminal one line is redrawn in place (`\r` + erase line); otherwise (CI logs, files) each
 * update is a plain line, rate-limited so a log does not fill with thousands of them.
 */
export interface Progress {
  /** Starts a stage and prints its label. */
  start(label: string): void;
  /** Reports how far the current stage is (`40960 rows`); throttled. */
  update(detail: string): void;
  /** Ends the current stage with a final detail and returns its duration in seconds. */
  finish(detail?: string): number;
}

export interface ProgressOptions {
  /**
   * Minimum time between two updates. @default 100 ms on a terminal, 5000 ms otherwise
   */
  readonly intervalMs?: number;
  /** Clock in milliseconds, injectable for tests. @default performance.now */
  readonly nowMs?: () => number;
}

const ERASE_LINE = '\r\x1b[2K';

/** Terminal streams whose last write was a progress line without its line break. */
const openLines = new WeakSet<OutputStream>();

/** Ends a progress line left open on a terminal, so an error message starts on its own line. */
export function endOpenLine(stream: OutputStream): void {
  if (!openLines.has(stream)) return;
  openLines.delete(stream);
  stream.write('\n');
}

export function createProgress(stream: OutputStream, options: ProgressOptions = {}): Progress {
  const tty = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (tty ? 100 : 5000);
  const nowMs = options.nowMs ?? (() => performance.now());
  let label = '';
  let startedMs = 0;
  let lastUpdateMs = Number.NEGATIVE_INFINITY;
  return {
    start(next) {
      label = next;
      startedMs = nowMs();
      lastUpdateMs = startedMs;
      stream.write(tty ? `${ERASE_LINE}${label}...` : `${label}...\n`);
      if (tty) openLines.add(stream);
    },
    update(detail) {
      const now = nowMs();
      if (now - lastUpdateMs < intervalMs) return;
      lastUpdateMs = now;
      stream.write(tty ? `${ERASE_LINE}${label}: ${detail}` : `${label}: ${detail}\n`);
    },
    finish(detail) {
      const seconds = (nowMs() - startedMs) / 1000;
      const suffix = detail === undefined ? '' : `: ${detail}`;
      stream.write(`${tty ? ERASE_LINE : ''}${label}${suffix} (${formatSeconds(seconds)})\n`);
      openLines.delete(stream);
      return seconds;
    },
  };
}
