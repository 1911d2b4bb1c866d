/** A place in an admission lane; `release` frees it and is safe to call more than once. */
export interface Admitted {
  readonly release: () => void;
}

/** Why a request was not admitted. */
export type Refusal =
  /** `maxQueued` requests already wait. */
  | 'queue-full'
  /** It waited `maxWaitMs` without getting a place. */
  | 'wait-timeout'
  /** Its signal fired (the client went away) while it waited. */
  | 'caller-gone';

/**
 * One admission lane of the HTTP front: at most `maxInFlight` requests run, at most `maxQueued`
 * wait in arrival order. Nothing can hold a place it no longer needs: a waiter whose client
 * leaves or whose wait deadline passes leaves the queue at once, and a place is freed by
 * `release` (idempotent) as soon as its request ends, however it ends.
 */
export class AdmissionLane {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a place, or with the reason there is none. */
  enter(signal: AbortSignal, maxWaitMs: number): Promise<Admitted | Refusal> {
    if (signal.aborted) return Promise.resolve('caller-gone');
    if (this.inFlight < this.maxInFlight && this.waiting.length === 0) return Promise.resolve(this.take());
    if (this.waiting.length >= this.maxQueued) return Promise.resolve('queue-full');
    return new Promise((resolve) => {
      const leave = (reason: Refusal): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(reason);
      };
      const onAbort = (): void => leave('caller-gone');
      const timer = setTimeout(() => leave('wait-timeout'), maxWaitMs);
      const grant = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(this.take());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private take(): Admitted {
    this.inFlight += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        if (this.inFlight < this.maxInFlight) this.waiting.shift()?.();
      },
    };
  }
}
