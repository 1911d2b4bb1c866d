import { type FanoutRequest, MAX_SYNC_PAYLOAD_BYTES, type ProcessorRequest } from '@squash/contracts';
import { resolveSearchParameters, type SearchParameters, type VectorIndex } from '@squash/core';
import { publishIndex } from '@squash/index-format';
import { MemoryBlobStore } from '@squash/storage';
import { CoordinatorService, type QueryRecord, type ServiceLog } from '../../src/coordinator-service.ts';
import { beforeDeadline, DEADLINE_PASSED } from '../../src/deadline.ts';
import { handleFanout } from '../../src/fanout-service.ts';
import { FormatIndexAccess } from '../../src/format-index-access.ts';
import type { ApiServices } from '../../src/http-router.ts';
import type { IndexAccess } from '../../src/index-access.ts';
import { InvokeError, type Invoker } from '../../src/invoker.ts';
import { ProcessorService } from '../../src/processor-service.ts';
import { StoreRoots } from '../../src/store-roots.ts';
import { processorFor } from '../../src/tree-plan.ts';
import { WriteService } from '../../src/write-service.ts';

export interface InProcessTreeOptions {
  /** Processor functions the partitions are spread over. @default 3 */
  readonly processors?: number;
  /** Children per tree node; small values force fan-out nodes. @default 2 */
  readonly branching?: number;
  readonly parameters?: SearchParameters;
  /** The coordinator's request budget. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** @default 50 */
  readonly deadlineMarginMs?: number;
  /** @default requestTimeoutMs */
  readonly invokeTimeoutMs?: number;
  /**
   * Largest request and response of one invocation, in bytes, as the Lambda Invoke API enforces
   * (a larger request fails as a client error, a larger response as
   * `Function.ResponseSizeTooLarge`). @default MAX_SYNC_PAYLOAD_BYTES
   */
  readonly maxPayloadBytes?: number;
  /** Wraps the coordinator's index access (to make it slow, say). */
  readonly coordinatorAccess?: (access: IndexAccess) => IndexAccess;
  /** Wraps the index access of one processor (to make it slow, say). */
  readonly processorAccess?: (functionName: string, access: IndexAccess) => IndexAccess;
  /** Store roots of the processors and fan-out nodes. @default ['memory://idx'] */
  readonly storeRoots?: readonly string[];
  /** The coordinator's log. */
  readonly log?: ServiceLog;
  /** Called before each invocation; throw to simulate a failing function. */
  readonly beforeInvoke?: (functionName: string, payload: ProcessorRequest | FanoutRequest) => void;
  /** Receives one record per answered request (the coordinator's metrics hook). */
  readonly onQuery?: (record: QueryRecord) => void;
}

/**
 * The processor function serving partition `p` of "idx" in a tree with `processors` processor
 * functions and one partition each (the pool is entered at the index name's hash).
 */
export function processorOf(p: number, processors = 3): string {
  return processorFor('idx', p, processorNames(processors), 1);
}

function processorNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `processor-${i}`);
}

/** The serverless query path in one process: coordinator, fan-out nodes and processors. */
export interface InProcessTree {
  readonly coordinator: CoordinatorService;
  /** What the HTTP router calls: the coordinator and a write service over the same directory. */
  readonly services: ApiServices;
  readonly store: MemoryBlobStore;
  readonly processors: Map<string, ProcessorService>;
  /** Invocations made so far, by function name. */
  readonly invocations: Map<string, number>;
  /** Handlers (processors and tree nodes) still running, whether or not anyone waits for them. */
  running(): number;
}

/**
 * Publishes `index` as "idx" into an in-memory store and wires the coordinator to fan-out nodes
 * and processors through an in-process invoker that behaves like the Lambda Invoke API: every
 * payload round-trips through JSON, payload sizes are limited, and the caller stops waiting at
 * its timeout (the handler itself runs on, as a Lambda does until its own deadline).
 */
export async function inProcessTree(
  index: VectorIndex,
  options: InProcessTreeOptions = {},
): Promise<InProcessTree> {
  const store = new MemoryBlobStore();
  await publishIndex(store, index, { name: 'idx' });
  const access = new FormatIndexAccess(() => store);
  const parameters = options.parameters ?? resolveSearchParameters();
  const names = processorNames(options.processors ?? 3);
  const storeRoots = new StoreRoots(options.storeRoots ?? ['memory://idx']);
  const processors = new Map(
    names.map((name) => [
      name,
      new ProcessorService(options.processorAccess?.(name, access) ?? access, parameters, { storeRoots }),
    ]),
  );
  const invocations = new Map<string, number>();
  const maxBytes = options.maxPayloadBytes ?? MAX_SYNC_PAYLOAD_BYTES;
  let running = 0;
  const handle = async (functionName: string, request: ProcessorRequest | FanoutRequest) => {
    running++;
    try {
      const response =
        request.kind === 'fanout'
          ? await handleFanout(request, invoker, { storeRoots })
          : await processors.get(functionName)!.handle(request);
      const text = JSON.stringify(response);
      if (Buffer.byteLength(text) > maxBytes) {
        throw new InvokeError('function', functionName, 'Function.ResponseSizeTooLarge: response too large', {
          errorType: 'Function.ResponseSizeTooLarge',
        });
      }
      return JSON.parse(text) as unknown;
    } finally {
      running--;
    }
  };
  const invoker: Invoker = {
    async invoke(functionName, payload, { timeoutMs }) {
      invocations.set(functionName, (invocations.get(functionName) ?? 0) + 1);
      const text = JSON.stringify(payload);
      if (Buffer.byteLength(text) > maxBytes) {
        throw new InvokeError('client', functionName, 'RequestEntityTooLargeException: request too large');
      }
      const request = JSON.parse(text) as ProcessorRequest | FanoutRequest;
      options.beforeInvoke?.(functionName, request);
      const answer = await beforeDeadline(handle(functionName, request), Date.now() + timeoutMs);
      if (answer === DEADLINE_PASSED) {
        throw new InvokeError('timeout', functionName, `no answer within ${timeoutMs} ms`);
      }
      return answer;
    },
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const coordinator = new CoordinatorService(
    {
      indexes: { idx: 'memory://idx' },
      fanoutFunction: 'fanout',
      processorFunctions: names,
      partitionsPerProcessor: 1,
      branching: options.branching ?? 2,
      requestTimeoutMs,
      deadlineMarginMs: options.deadlineMarginMs ?? 50,
      invokeTimeoutMs: options.invokeTimeoutMs ?? requestTimeoutMs,
      parameters,
    },
    options.coordinatorAccess?.(access) ?? access,
    invoker,
    {
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.onQuery === undefined ? {} : { onQuery: options.onQuery }),
    },
  );
  const writes = new WriteService(coordinator.directory, { open: () => store });
  return {
    coordinator,
    services: { coordinator, writes },
    store,
    processors,
    invocations,
    running: () => running,
  };
}

/** Flips one byte in the middle of the stored object whose key matches `pattern`; returns the key. */
export async function flipByte(store: MemoryBlobStore, pattern: RegExp): Promise<string> {
  for await (const { key } of store.list('')) {
    if (!pattern.test(key)) continue;
    const bytes = (await store.get(key))!;
    bytes[bytes.length >> 1]! ^= 0xff;
    await store.put(key, bytes);
    return key;
  }
  throw new Error(`no stored object matches ${pattern}`);
}
