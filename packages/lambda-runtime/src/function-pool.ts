import { performance } from 'node:perf_hooks';
import { type FunctionErrorPayload, responseTooLargeError } from './function-error.ts';
import { platformLog } from './invocation-report.ts';
import { MAX_RESPONSE_PAYLOAD_BYTES, WORKER_KILL_GRACE_MS } from './lambda-limits.ts';
import { LogTail } from './log-tail.ts';
import type { ResolvedFunctionOptions } from './runtime-options.ts';
import { buildWorkerEnvironment, type WorkerEnvironmentInput } from './worker-environment.ts';
import type { WorkerFault } from './worker-messages.ts';
import { type WorkerOutcome, WorkerProcess } from './worker-process.ts';

/** One invocation as the HTTP layer hands it to a pool; the payload is already valid JSON. */
export interface InvocationRequest {
  readonly requestId: string;
  readonly invocationType: 'RequestResponse' | 'Event';
  readonly payload: string;
  readonly invokedFunctionArn: string;
  readonly clientContext: string | undefined;
  /**
   * Aborted when the caller has gone (its connection closed). An invocation still waiting for a
   * worker then leaves the queue without running; one already running runs to its end, as on AWS.
   */
  readonly signal?: AbortSignal;
}

/** What the caller of a synchronous invocation gets back. */
export interface InvocationResult {
  /** Response body: the handler's JSON result, or a `FunctionErrorPayload` as JSON. */
  readonly payload: string;
  /** The function error, when there was one (`X-Amz-Function-Error: Unhandled`). */
  readonly error: FunctionErrorPayload | undefined;
  readonly log: LogTail;
}

/** Per-function counters, for tests and benchmarks. */
export interface FunctionStats {
  /** Invocations handed to a worker (synchronous and asynchronous; not DryRun, not throttled). */
  readonly invocations: number;
  /** Worker processes started; each one is a cold start. */
  readonly coldStarts: number;
  /** Invocations that ended in a function error of any kind. */
  readonly errors: number;
  /** Invocations killed by the function timeout. */
  readonly timeouts: number;
  /** Invocations whose worker died under them (`Runtime.ExitError` and fatal errors). */
  readonly crashes: number;
  /** Invocations that failed because a new worker could not load the handler module. */
  readonly initErrors: number;
  /** Synchronous invocations refused with 429 because `maxConcurrency` were in flight. */
  readonly throttles: number;
  /** Invocations running now. */
  readonly inFlight: number;
  /** Most invocations ever in flight at once. */
  readonly peakInFlight: number;
  /** Accepted `Event` invocations waiting for a free slot. */
  readonly queuedEvents: number;
  /** Invocations within `maxConcurrency` waiting for one of the `maxWorkers` workers. */
  readonly waitingForWorker: number;
  /** Invocations dropped from that wait because their caller disconnected. */
  readonly abandoned: number;
  readonly idleWorkers: number;
  /** Process ids of every live worker, idle or busy. */
  readonly workerPids: readonly number[];
}

type Counter =
  | 'invocations'
  | 'coldStarts'
  | 'errors'
  | 'timeouts'
  | 'crashes'
  | 'initErrors'
  | 'throttles'
  | 'abandoned';

/** Runtime-wide settings a pool needs to start workers and report. */
export interface FunctionPoolSettings extends WorkerEnvironmentInput {
  readonly workerOutput: 'ignore' | 'inherit';
  readonly log: (line: string) => void;
}

/**
 * The execution environments of one function: a pool of worker processes that grows on demand
 * up to `maxWorkers` (invocations past it wait for a free worker, first come first served),
 * reuses idle workers most-recently-used first (so the rest age out and
 * get reaped after `idleTimeoutMs`), and drops any worker that timed out or died. Synchronous
 * invocations over the limit are refused; `Event` invocations wait in a queue, as AWS queues
 * asynchronous events rather than failing them.
 */
export class FunctionPool {
  private readonly fn: ResolvedFunctionOptions;
  private readonly settings: FunctionPoolSettings;
  private readonly workers = new Set<WorkerProcess>();
  private readonly idle: WorkerProcess[] = [];
  private readonly idleTimers = new Map<WorkerProcess, NodeJS.Timeout>();
  private readonly faults: WorkerFault[] = [];
  private readonly eventQueue: InvocationRequest[] = [];
  private readonly settledWaiters: (() => void)[] = [];
  private readonly counts: Record<Counter, number> = {
    invocations: 0,
    coldStarts: 0,
    errors: 0,
    timeouts: 0,
    crashes: 0,
    initErrors: 0,
    throttles: 0,
    abandoned: 0,
  };
  /** Invocations holding a worker (busy or about to start one); at most `maxWorkers`. */
  private running = 0;
  private readonly workerWaiters: (() => void)[] = [];
  private inFlight = 0;
  private peakInFlight = 0;
  private eventsRunning = 0;
  private stopping = false;

  constructor(fn: ResolvedFunctionOptions, settings: FunctionPoolSettings) {
    this.fn = fn;
    this.settings = settings;
  }

  /**
   * Runs a synchronous invocation. Returns `'throttled'` when `maxConcurrency` are in flight, and
   * `'abandoned'` when the caller's `signal` fired before a worker was free.
   */
  async invoke(request: InvocationRequest): Promise<InvocationResult | 'throttled' | 'abandoned'> {
    if (!this.tryAcquireSlot()) {
      this.counts.throttles += 1;
      return 'throttled';
    }
    try {
      return await this.run(request);
    } finally {
      this.releaseSlot();
    }
  }

  /** Accepts an `Event` invocation: it runs when a slot is free; its result is only logged. */
  enqueueEvent(request: InvocationRequest): void {
    if (this.stopping) return;
    this.eventQueue.push(request);
    this.drainEvents();
  }

  /** Resolves once no `Event` invocation is queued or running. */
  whenEventsSettled(): Promise<void> {
    if (this.eventQueue.length === 0 && this.eventsRunning === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Makes the next invocation (of any type) suffer `fault`; calls queue up in order. */
  injectFault(fault: WorkerFault): void {
    this.faults.push(fault);
  }

  stats(): FunctionStats {
    return {
      ...this.counts,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      queuedEvents: this.eventQueue.length,
      waitingForWorker: this.workerWaiters.length,
      idleWorkers: this.idle.length,
      workerPids: [...this.workers].flatMap((worker) => (worker.pid === undefined ? [] : [worker.pid])),
    };
  }

  /** Drops queued events and stops every worker (SIGTERM, SIGKILL after 2 s); resolves when all exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.eventQueue.length = 0;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    // Waiting invocations run into `stopping` and answer Runtime.ExitError at once.
    for (const grant of this.workerWaiters.splice(0)) grant();
    await Promise.all([...this.workers].map((worker) => worker.terminate(WORKER_KILL_GRACE_MS)));
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  private tryAcquireSlot(): boolean {
    if (this.inFlight >= this.fn.maxConcurrency) return false;
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    return true;
  }

  private releaseSlot(): void {
    this.inFlight -= 1;
    this.drainEvents();
  }

  private drainEvents(): void {
    while (!this.stopping && this.eventQueue.length > 0 && this.tryAcquireSlot()) {
      const request = this.eventQueue.shift()!;
      this.eventsRunning += 1;
      void this.run(request).finally(() => {
        this.eventsRunning -= 1;
        this.releaseSlot();
        if (this.eventQueue.length === 0 && this.eventsRunning === 0) {
          for (const resolve of this.settledWaiters.splice(0)) resolve();
        }
      });
    }
  }

  /** Waits for a worker slot (unless the caller leaves first), then runs the invocation on it. */
  private async run(request: InvocationRequest): Promise<InvocationResult | 'abandoned'> {
    if (!(await this.acquireWorker(request.signal))) {
      this.counts.abandoned += 1;
      return 'abandoned';
    }
    try {
      if (request.signal?.aborted === true) {
        this.counts.abandoned += 1;
        return 'abandoned';
      }
      return await this.runOnWorker(request);
    } finally {
      this.releaseWorker();
    }
  }

  /** Resolves true holding one of the `maxWorkers` slots, or false when `signal` fired first. */
  private acquireWorker(signal: AbortSignal | undefined): Promise<boolean> {
    if (this.running < this.fn.maxWorkers && this.workerWaiters.length === 0) {
      this.running += 1;
      return Promise.resolve(true);
    }
    if (signal?.aborted === true) return Promise.resolve(false);
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', leave);
        this.running += 1;
        resolve(true);
      };
      const leave = (): void => {
        const index = this.workerWaiters.indexOf(grant);
        if (index >= 0) this.workerWaiters.splice(index, 1);
        resolve(false);
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.workerWaiters.push(grant);
    });
  }

  private releaseWorker(): void {
    this.running -= 1;
    this.workerWaiters.shift()?.();
  }

  /** One invocation on a warm worker, or on a new one (cold start). The caller holds both slots. */
  private async runOnWorker(request: InvocationRequest): Promise<InvocationResult> {
    const log = new LogTail();
    const startedMs = performance.now();
    this.counts.invocations += 1;
    let worker = this.takeIdleWorker();
    let initDurationMs: number | undefined;
    if (worker === undefined) {
      if (this.stopping) {
        return this.finish(request, log, startedMs, { kind: 'exited', error: STOPPING_ERROR });
      }
      worker = this.startWorker();
      const init = await worker.waitUntilReady(this.fn.initTimeoutMs, log);
      initDurationMs = performance.now() - startedMs;
      if (!init.ok) {
        this.counts.initErrors += 1;
        return this.finish(request, log, startedMs, { kind: 'init-failed', error: init.error });
      }
    }
    platformLog.start(log, request.requestId);
    const handlerStartMs = performance.now();
    const outcome = await worker.invoke(
      {
        type: 'invoke',
        requestId: request.requestId,
        payload: request.payload,
        deadlineMs: Date.now() + this.fn.timeoutMs,
        invokedFunctionArn: request.invokedFunctionArn,
        clientContext: request.clientContext,
        fault: this.faults.shift(),
      },
      this.fn.timeoutMs,
      log,
    );
    if (outcome.kind === 'returned' || outcome.kind === 'threw') this.returnToIdle(worker);
    return this.finish(request, log, handlerStartMs, outcome, initDurationMs);
  }

  /** Turns an outcome into the caller's result: size check, counters, platform log lines, log line. */
  private finish(
    request: InvocationRequest,
    log: LogTail,
    startedMs: number,
    outcome: WorkerOutcome | { readonly kind: 'init-failed'; readonly error: FunctionErrorPayload },
    initDurationMs?: number,
  ): InvocationResult {
    const durationMs = performance.now() - startedMs;
    let error: FunctionErrorPayload | undefined;
    let payload: string;
    if (outcome.kind === 'returned' && Buffer.byteLength(outcome.payload) <= MAX_RESPONSE_PAYLOAD_BYTES) {
      payload = outcome.payload;
    } else {
      error = outcome.kind === 'returned' ? responseTooLargeError(MAX_RESPONSE_PAYLOAD_BYTES) : outcome.error;
      payload = JSON.stringify(error);
      this.counts.errors += 1;
    }
    if (outcome.kind === 'timed-out') this.counts.timeouts += 1;
    if (outcome.kind === 'exited') this.counts.crashes += 1;
    if (outcome.kind === 'timed-out' || outcome.kind === 'exited' || outcome.kind === 'init-failed') {
      platformLog.sandboxError(log, request.requestId, outcome.error);
    }
    platformLog.end(log, {
      requestId: request.requestId,
      durationMs,
      memoryMb: this.fn.memoryMb,
      maxMemoryUsedMb: 'maxMemoryUsedMb' in outcome ? outcome.maxMemoryUsedMb : undefined,
      initDurationMs,
    });
    const status = error === undefined ? 'ok' : error.errorType;
    const cold = initDurationMs === undefined ? '' : ` cold-start init=${initDurationMs.toFixed(1)}ms`;
    this.settings.log(
      `${this.fn.name} ${request.requestId} ${request.invocationType} ${status} ${durationMs.toFixed(1)}ms${cold}`,
    );
    return { payload, error, log };
  }

  private startWorker(): WorkerProcess {
    const worker = new WorkerProcess({
      handlerModule: this.fn.handlerModule,
      handlerExport: this.fn.handlerExport,
      env: buildWorkerEnvironment(this.fn, this.settings),
      memoryMb: this.fn.memoryMb,
      tsx: this.fn.tsx,
      output: this.settings.workerOutput,
    });
    this.counts.coldStarts += 1;
    this.workers.add(worker);
    worker.onClose = () => this.forget(worker);
    return worker;
  }

  private takeIdleWorker(): WorkerProcess | undefined {
    while (this.idle.length > 0) {
      const worker = this.idle.pop()!;
      clearTimeout(this.idleTimers.get(worker));
      this.idleTimers.delete(worker);
      if (worker.alive) return worker;
    }
    return undefined;
  }

  private returnToIdle(worker: WorkerProcess): void {
    if (!worker.alive || this.stopping) return;
    this.idle.push(worker);
    const timer = setTimeout(() => this.reap(worker), this.fn.idleTimeoutMs);
    this.idleTimers.set(worker, timer);
  }

  private reap(worker: WorkerProcess): void {
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    this.idleTimers.delete(worker);
    void worker.terminate(WORKER_KILL_GRACE_MS);
  }

  private forget(worker: WorkerProcess): void {
    this.workers.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    clearTimeout(this.idleTimers.get(worker));
    this.idleTimers.delete(worker);
  }
}

const STOPPING_ERROR: FunctionErrorPayload = {
  errorType: 'Runtime.ExitError',
  errorMessage: 'Runtime exited with error: the local runtime is stopping',
  trace: [],
};
