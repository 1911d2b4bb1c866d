import type {
  FanoutRequest,
  ProcessorRequest,
  ProcessorUnit,
  TreeResponse,
  WireQuery,
} from '@squash/contracts';
import type { Invoker } from './invoker.ts';
import { queriesUsedBy, subsetQueries } from './query-subset.ts';
import { withRetry } from './retry.ts';
import { emptyResponse, mergeResponses } from './tree-merge.ts';
import { splitAmongChildren } from './tree-plan.ts';

/** What every node of the tree needs to address its children. */
export interface TreeContext {
  readonly requestId: string;
  readonly index: string;
  readonly version: string;
  readonly indexUri: string;
  readonly queries: WireQuery[];
  readonly branching: number;
  readonly fanoutFunction: string;
  readonly invokeTimeoutMs: number;
  /** Hops from the coordinator of the node running this (0 for the coordinator). */
  readonly depth: number;
}

/**
 * Runs processor units below one node: invokes the processors directly when there are at most
 * `branching` units, otherwise splits them among `branching` fan-out children. Each child gets
 * one retry on throttling, 5xx or timeout; a child that still fails marks every partition below
 * it as failed. Never throws for a child's failure.
 */
export async function runUnits(
  units: readonly ProcessorUnit[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  const topKs = context.queries.map((q) => q.topK);
  if (units.length === 0) return emptyResponse(context.queries.length);
  const groups = splitAmongChildren(units, context.branching);
  const responses = await Promise.all(
    groups.map((group) =>
      group.length === 1
        ? invokeProcessor(group[0]!, context, invoker)
        : invokeFanout(group, context, invoker),
    ),
  );
  return mergeResponses(responses, topKs);
}

async function invokeProcessor(
  unit: ProcessorUnit,
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  // A processor receives only the queries its partitions run, renumbered, so a batch's vectors are
  // not shipped to (and parsed by) every processor.
  const trimmed = subsetQueries(context.queries, unit.work, queriesUsedBy(unit.work));
  const request: ProcessorRequest = {
    kind: 'processor',
    requestId: context.requestId,
    index: context.index,
    version: context.version,
    indexUri: context.indexUri,
    queries: trimmed.queries,
    depth: context.depth + 1,
    work: trimmed.work,
  };
  const trimmedContext = { ...context, queries: trimmed.queries };
  const response = await invokeChild(unit.functionName, request, [unit], trimmedContext, invoker);
  return trimmed.expand(response, context.queries.length);
}

async function invokeFanout(
  units: ProcessorUnit[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  const request: FanoutRequest = {
    kind: 'fanout',
    requestId: context.requestId,
    index: context.index,
    version: context.version,
    indexUri: context.indexUri,
    queries: context.queries,
    depth: context.depth + 1,
    units,
    branching: context.branching,
    fanoutFunction: context.fanoutFunction,
    invokeTimeoutMs: context.invokeTimeoutMs,
  };
  return invokeChild(context.fanoutFunction, request, units, context, invoker);
}

async function invokeChild(
  functionName: string,
  request: ProcessorRequest | FanoutRequest,
  units: readonly ProcessorUnit[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  let attempts = 0;
  try {
    const response = await withRetry(() => {
      attempts++;
      return invoker.invoke(functionName, request, { timeoutMs: context.invokeTimeoutMs });
    });
    return assertTreeResponse(response, context.queries.length, attempts);
  } catch {
    return {
      ...emptyResponse(context.queries.length),
      failedPartitions: units.flatMap((u) => u.work.map((w) => w.partition)),
      invocations: attempts,
    };
  }
}

function assertTreeResponse(value: unknown, queryCount: number, attempts: number): TreeResponse {
  const response = value as TreeResponse | undefined;
  if (response === undefined || !Array.isArray(response.hits) || response.hits.length !== queryCount) {
    throw new Error('malformed tree response');
  }
  return { ...response, invocations: response.invocations + attempts - 1 };
}
