/**
 * Ctrl-C handling. A long build must stop promptly and must never publish after the user asked it
 * to stop. Node delivers a SIGINT to JavaScript listeners only between event-loop turns, so:
 *
 * - during asynchronous stages (loading files, publishing) a listener records the interrupt in an
 *   `AbortSignal`, and the command stops at its next check with exit code 130; a second Ctrl-C
 *   exits at once;
 * - during synchronous compute (`buildIndex`, minutes on large inputs) no listener is installed,
 *   so the default action ends the process immediately. Nothing has been written at that point.
 *
 * Publishing itself is atomic (the CURRENT pointer moves last, in one write), so an interrupt can
 * never leave a half-published version current.
 */

/** Exit code of a run stopped by Ctrl-C: 128 + SIGINT (2), what shells report. */
export const EXIT_INTERRUPTED = 130;

/** Thrown by `throwIfInterrupted` once Ctrl-C was pressed; maps to exit code 130. */
export class InterruptedError extends Error {
  readonly code = 'INTERRUPTED';

  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

export interface InterruptWatch {
  /** Aborted when Ctrl-C was pressed during an asynchronous stage. */
  readonly signal: AbortSignal;
  /** Runs synchronous work with the default SIGINT action, so Ctrl-C ends the process at once. */
  blocking<T>(work: () => T): T;
}

/** The process-level part of `watchInterrupts`, injectable for tests. */
export interface SignalSource {
  on(event: 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGINT', listener: () => void): unknown;
  exit(code: number): never;
}

/** Installs the SIGINT listener; `dispose` removes it. */
export function watchInterrupts(source: SignalSource = process): InterruptWatch & { dispose(): void } {
  const controller = new AbortController();
  const listener = (): void => {
    if (controller.signal.aborted) source.exit(EXIT_INTERRUPTED);
    controller.abort(new InterruptedError());
  };
  source.on('SIGINT', listener);
  let installed = true;
  return {
    signal: controller.signal,
    blocking<T>(work: () => T): T {
      if (!installed) return work();
      source.off('SIGINT', listener);
      installed = false;
      try {
        return work();
      } finally {
        source.on('SIGINT', listener);
        installed = true;
      }
    },
    dispose(): void {
      if (installed) source.off('SIGINT', listener);
      installed = false;
    },
  };
}

/**
 * Throws `InterruptedError` when Ctrl-C was pressed. Awaits one macrotask first, so a signal that
 * arrived during preceding synchronous work has been delivered before the check.
 */
export async function throwIfInterrupted(watch: InterruptWatch | undefined): Promise<void> {
  if (watch === undefined) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (watch.signal.aborted) throw new InterruptedError();
}
