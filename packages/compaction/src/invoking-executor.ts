import type { CompactPartitionRequest, CompactPartitionResponse } from '@squash/contracts';
import { SquashError } from '@squash/errors';
import type { PartitionEntry } from '@squash/index-format';
import type { PartitionExecutor } from './partition-executor.ts';
import type { PartitionTask } from './partition-task.ts';

/** Synchronous invocation of a function by name (the query path's `Invoker` has this shape). */
export interface FunctionInvoker {
  invoke(functionName: string, payload: unknown, options: { readonly timeoutMs: number }): Promise<unknown>;
}

export interface InvokingExecutorOptions {
  /** The compactor's own function name (`SQUASH_COMPACTOR_FUNCTION`). */
  readonly functionName: string;
  readonly indexUri: string;
  readonly index: string;
  /** Partition invocations in flight at once. @default 8 */
  readonly concurrency?: number;
  /** How long one partition may take. @default 600000 (10 min, under Lambda's 15-min cap) */
  readonly timeoutMs?: number;
  /**
   * A task whose payload is larger than this runs in the calling invocation instead (`fallback`):
   * a partition gaining many high-dimensional rows would not fit Lambda's 6 MB request limit.
   */
  readonly maxPayloadBytes: number;
  readonly fallback: PartitionExecutor;
}

/**
 * Runs each partition task as one synchronous invocation of the compactor itself
 * (`{kind: 'partition', ...}`), so every affected partition is rebuilt in its own function
 * instance, in parallel, before the calling invocation publishes.
 */
export function invokingExecutor(
  invoker: FunctionInvoker,
  options: InvokingExecutorOptions,
): PartitionExecutor {
  const timeoutMs = options.timeoutMs ?? 600_000;
  return {
    concurrency: options.concurrency ?? 8,
    async run(task: PartitionTask) {
      const request: CompactPartitionRequest = {
        kind: 'partition',
        indexUri: options.indexUri,
        index: options.index,
        task,
      };
      const bytes = new TextEncoder().encode(JSON.stringify(request)).byteLength;
      if (bytes > options.maxPayloadBytes) return options.fallback.run(task);
      const response = (await invoker.invoke(options.functionName, request, { timeoutMs })) as
        | CompactPartitionResponse
        | undefined;
      if (response?.entry?.id !== task.partitionId) {
        throw new SquashError(
          'COMPACTION_FAILED',
          `partition ${task.partitionId} of version ${task.version}: ${options.functionName} answered without its manifest entry`,
        );
      }
      return { entry: response.entry as unknown as PartitionEntry };
    },
  };
}
