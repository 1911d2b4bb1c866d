import type { FanoutRequest, TreeResponse } from '@squash/contracts';
import { quote } from '@squash/errors';
import type { ServiceLog } from './coordinator-service.ts';
import { faultsFor } from './faults.ts';
import type { Invoker } from './invoker.ts';
import type { StoreRoots } from './store-roots.ts';
import { runUnits } from './tree-executor.ts';
import { emptyResponse } from './tree-merge.ts';

/** Options of `handleFanout`. */
export interface FanoutOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** The store roots this node may send work for; others are refused (`FORBIDDEN`). @default any */
  readonly storeRoots?: StoreRoots;
  /** Where refusals are logged (error level). */
  readonly log?: ServiceLog;
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
  const refusal = options.storeRoots?.refusal(request.indexUri);
  if (refusal !== undefined) {
    options.log?.error('refused an index URI outside the store roots', {
      requestId: request.requestId,
      indexUri: quote(request.indexUri),
    });
    const partitions = request.units.flatMap((unit) => unit.work.map((w) => w.partition));
    return {
      ...emptyResponse(request.queries.length),
      faults: faultsFor(partitions, refusal),
      invocations: 1,
    };
  }
  const response = await runUnits(
    request.units,
    { ...request, ...(options.now === undefined ? {} : { now: options.now }) },
    invoker,
  );
  return { ...response, invocations: response.invocations + 1 };
}
