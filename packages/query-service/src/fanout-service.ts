import type { FanoutRequest, TreeResponse } from '@squash/contracts';
import type { Invoker } from './invoker.ts';
import { runUnits } from './tree-executor.ts';

/** Options of `handleFanout`. */
export interface FanoutOptions {
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * A fan-out tree node: invokes up to `branching` children (processors, or further tree nodes
 * when it holds more units than that) in parallel and returns the merged top-k per query by the
 * request's deadline. It counts itself as one invocation.
 */
export async function handleFanout(
  request: FanoutRequest,
  invoker: Invoker,
  options: FanoutOptions = {},
): Promise<TreeResponse> {
  const response = await runUnits(
    request.units,
    { ...request, ...(options.now === undefined ? {} : { now: options.now }) },
    invoker,
  );
  return { ...response, invocations: response.invocations + 1 };
}
