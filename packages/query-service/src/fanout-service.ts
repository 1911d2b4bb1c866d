import type { FanoutRequest, TreeResponse } from '@squash/contracts';
import type { Invoker } from './invoker.ts';
import { runUnits } from './tree-executor.ts';

/**
 * A fan-out tree node: invokes up to `branching` children (processors, or further tree nodes
 * when it holds more units than that) in parallel and returns the merged top-k per query.
 * It counts itself as one invocation.
 */
export async function handleFanout(request: FanoutRequest, invoker: Invoker): Promise<TreeResponse> {
  const response = await runUnits(request.units, { ...request }, invoker);
  return { ...response, invocations: response.invocations + 1 };
}
