import type { BlobStore } from '@squash/storage';
import { type PartitionTask, type PartitionTaskResult, runPartitionTask } from './partition-task.ts';

/**
 * Runs partition tasks. In-process locally (`inProcessExecutor`); in the stack the compactor
 * function sends each task to an invocation of itself, so every affected partition is rebuilt in
 * parallel in its own memory (`functions/compactor`). The compaction calls `run` for every
 * affected partition with at most `concurrency` in flight.
 */
export interface PartitionExecutor {
  run(task: PartitionTask): Promise<PartitionTaskResult>;
  /** Tasks in flight at once. @default 2 in-process (the work is CPU-bound) */
  readonly concurrency: number;
}

export function inProcessExecutor(store: BlobStore, concurrency = 2): PartitionExecutor {
  return { run: (task) => runPartitionTask(store, task), concurrency };
}
