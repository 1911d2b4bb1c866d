import type { FanoutRequest, ProcessorRequest } from '@squash/contracts';
import { resolveSearchParameters, type SearchParameters, type VectorIndex } from '@squash/core';
import { publishIndex } from '@squash/index-format';
import { type BlobStore, MemoryBlobStore } from '@squash/storage';
import { CoordinatorService } from '../../src/coordinator-service.ts';
import { handleFanout } from '../../src/fanout-service.ts';
import { FormatIndexAccess } from '../../src/format-index-access.ts';
import type { Invoker } from '../../src/invoker.ts';
import { ProcessorService } from '../../src/processor-service.ts';

export interface InProcessTreeOptions {
  /** Processor functions the partitions are spread over. @default 3 */
  readonly processors?: number;
  /** Children per tree node; small values force fan-out nodes. @default 2 */
  readonly branching?: number;
  readonly parameters?: SearchParameters;
  /** Called before each invocation; throw to simulate a failing function. */
  readonly beforeInvoke?: (functionName: string, payload: ProcessorRequest | FanoutRequest) => void;
}

/** The serverless query path in one process: coordinator, fan-out nodes and processors. */
export interface InProcessTree {
  readonly coordinator: CoordinatorService;
  readonly store: BlobStore;
  readonly processors: Map<string, ProcessorService>;
  /** Invocations made so far, by function name. */
  readonly invocations: Map<string, number>;
}

/**
 * Publishes `index` as "idx" into an in-memory store and wires the coordinator to fan-out nodes
 * and processors through an in-process invoker that round-trips every payload through JSON, as
 * the Lambda Invoke API does.
 */
export async function inProcessTree(
  index: VectorIndex,
  options: InProcessTreeOptions = {},
): Promise<InProcessTree> {
  const store = new MemoryBlobStore();
  await publishIndex(store, index, { name: 'idx' });
  const access = new FormatIndexAccess(() => store);
  const parameters = options.parameters ?? resolveSearchParameters();
  const processorNames = Array.from({ length: options.processors ?? 3 }, (_, i) => `processor-${i}`);
  const processors = new Map(processorNames.map((name) => [name, new ProcessorService(access, parameters)]));
  const invocations = new Map<string, number>();
  const invoker: Invoker = {
    async invoke(functionName, payload) {
      invocations.set(functionName, (invocations.get(functionName) ?? 0) + 1);
      const request = JSON.parse(JSON.stringify(payload)) as ProcessorRequest | FanoutRequest;
      options.beforeInvoke?.(functionName, request);
      const response =
        request.kind === 'fanout'
          ? await handleFanout(request, invoker)
          : await processors.get(functionName)!.handle(request);
      return JSON.parse(JSON.stringify(response));
    },
  };
  const coordinator = new CoordinatorService(
    {
      indexes: { idx: 'memory://idx' },
      fanoutFunction: 'fanout',
      processorFunctions: processorNames,
      partitionsPerProcessor: 1,
      branching: options.branching ?? 2,
      invokeTimeoutMs: 5000,
      parameters,
    },
    access,
    invoker,
  );
  return { coordinator, store, processors, invocations };
}
