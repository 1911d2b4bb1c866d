import type {
  FanoutRequest,
  ProcessorRequest,
  ProcessorUnit,
  TreeResponse,
  WireQuery,
} from '@squash/contracts';
import { attemptWindow, hasTimeFor } from './deadline.ts';
import { type FaultCause, faultsFor, invokeFailureCause } from './faults.ts';
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
  /** Longest one attempt at a child may take. */
  readonly invokeTimeoutMs: number;
  /** Time each level keeps for itself (see `deadline.ts`). */
  readonly deadlineMarginMs: number;
  /** Epoch ms by which the node running this must answer its caller. */
  readonly deadline: number;
  /** Hops from the coordinator of the node running this (0 for the coordinator). */
  readonly depth: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Runs processor units below one node: invokes the processors directly when there are at most
 * `branching` units, otherwise splits them among `branching` fan-out children. Each child gets
 * one retry on throttling, 5xx or timeout while the deadline leaves time for it; a child that
 * still fails marks every partition below it with the cause. A child whose answer was too large
 * for the invocation limit is asked again with half of its queries at a time. Never throws for a
 * child's failure, and returns before `context.deadline`.
 */
export async function runUnits(
  units: readonly ProcessorUnit[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  if (units.length === 0) return emptyResponse(context.queries.length);
  const groups = splitAmongChildren(units, context.branching);
  const responses = await Promise.all(groups.map((group) => invokeGroup(group, context, invoker)));
  return mergeResponses(
    responses,
    context.queries.map((q) => q.topK),
  );
}

async function invokeGroup(
  group: ProcessorUnit[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  const response =
    group.length === 1
      ? await invokeProcessor(group[0]!, context, invoker)
      : await invokeFanout(group, context, invoker);
  const used = queriesUsedBy(group.flatMap((unit) => unit.work));
  if (used.length < 2 || !LOST_TOO_LARGE.has(response)) return response;
  // Safety net under the coordinator's byte planning: an answer over the invocation limit is asked
  // for again in two halves of the queries (recursively, down to single queries).
  const half = Math.ceil(used.length / 2);
  const halves = await Promise.all(
    [used.slice(0, half), used.slice(half)].map((members) => runSubset(group, members, context, invoker)),
  );
  const merged = mergeResponses(
    halves,
    context.queries.map((q) => q.topK),
  );
  return { ...merged, invocations: merged.invocations + response.invocations };
}

async function runSubset(
  group: readonly ProcessorUnit[],
  members: readonly number[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  const units = group
    .map((unit) => ({
      functionName: unit.functionName,
      work: subsetQueries(context.queries, unit.work, members).work,
    }))
    .filter((unit) => unit.work.length > 0);
  const subset = subsetQueries(context.queries, [], members);
  const response = await runUnits(units, { ...context, queries: subset.queries }, invoker);
  return subset.expand(response, context.queries.length);
}

async function invokeProcessor(
  unit: ProcessorUnit,
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  // A processor receives only the queries its partitions run, renumbered, so a batch's vectors are
  // not shipped to (and parsed by) every processor.
  const trimmed = subsetQueries(context.queries, unit.work, queriesUsedBy(unit.work));
  const request = (deadline: number): ProcessorRequest => ({
    kind: 'processor',
    requestId: context.requestId,
    index: context.index,
    version: context.version,
    indexUri: context.indexUri,
    queries: trimmed.queries,
    depth: context.depth + 1,
    deadline,
    work: trimmed.work,
  });
  const trimmedContext = { ...context, queries: trimmed.queries };
  const response = await invokeChild(unit.functionName, request, [unit], trimmedContext, invoker);
  const expanded = trimmed.expand(response, context.queries.length);
  if (LOST_TOO_LARGE.has(response)) LOST_TOO_LARGE.add(expanded);
  return expanded;
}

async function invokeFanout(
  units: ProcessorUnit[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  const request = (deadline: number): FanoutRequest => ({
    kind: 'fanout',
    requestId: context.requestId,
    index: context.index,
    version: context.version,
    indexUri: context.indexUri,
    queries: context.queries,
    depth: context.depth + 1,
    deadline,
    units,
    branching: context.branching,
    fanoutFunction: context.fanoutFunction,
    invokeTimeoutMs: context.invokeTimeoutMs,
    deadlineMarginMs: context.deadlineMarginMs,
  });
  return invokeChild(context.fanoutFunction, request, units, context, invoker);
}

/**
 * Responses standing in for a child answer that was lost because it exceeded the invocation
 * limit (as opposed to a child that answered and reports such a loss further down, which its
 * own parent already tried to halve).
 */
const LOST_TOO_LARGE = new WeakSet<TreeResponse>();

async function invokeChild(
  functionName: string,
  request: (deadline: number) => ProcessorRequest | FanoutRequest,
  units: readonly ProcessorUnit[],
  context: TreeContext,
  invoker: Invoker,
): Promise<TreeResponse> {
  const now = context.now ?? Date.now;
  const window = () =>
    attemptWindow(context.deadline, context.deadlineMarginMs, context.invokeTimeoutMs, now());
  const partitions = units.flatMap((u) => u.work.map((w) => w.partition));
  const failed = (cause: FaultCause, invocations: number): TreeResponse => ({
    ...emptyResponse(context.queries.length),
    faults: faultsFor(partitions, cause),
    invocations,
  });
  if (!hasTimeFor(window(), context.deadlineMarginMs, now())) {
    return failed({ reason: 'TIMEOUT', message: 'the request deadline left no time to invoke it' }, 0);
  }
  let attempts = 0;
  try {
    const response = await withRetry(
      () => {
        attempts++;
        const { abortAt, childDeadline } = window();
        return invoker.invoke(functionName, request(childDeadline), {
          timeoutMs: Math.max(1, Math.floor(abortAt - now())),
        });
      },
      { canRetry: () => hasTimeFor(window(), context.deadlineMarginMs, now()) },
    );
    return assertTreeResponse(response, context.queries.length, attempts);
  } catch (error) {
    const cause = invokeFailureCause(error);
    const response = failed(cause, attempts);
    if (cause.reason === 'RESPONSE_TOO_LARGE') LOST_TOO_LARGE.add(response);
    return response;
  }
}

function assertTreeResponse(value: unknown, queryCount: number, attempts: number): TreeResponse {
  const response = value as TreeResponse | undefined;
  if (
    response === undefined ||
    response === null ||
    !Array.isArray(response.hits) ||
    response.hits.length !== queryCount ||
    !Array.isArray(response.faults)
  ) {
    throw new Error(`expected a tree response over ${queryCount} queries`);
  }
  return { ...response, invocations: response.invocations + attempts - 1 };
}
