import type { TreeResponse, WireQuery, WorkItem } from '@squash/contracts';
import { planQuery, type SearchParameters } from '@squash/core';
import { assertAnswerFits, type RowBytes } from './answer-size.ts';
import type { FunctionConfig } from './config.ts';
import type { PinnedManifest } from './index-access.ts';
import type { BaseVersion } from './index-states.ts';
import type { Invoker } from './invoker.ts';
import { chunkQueries, PAYLOAD_BUDGET_SHARE } from './payload-chunks.ts';
import type { QueryProgress } from './query-progress.ts';
import { nextRound, rowBytesOf, toWireQuery } from './query-rounds.ts';
import { RequestError } from './request-error.ts';
import { runUnits } from './tree-executor.ts';
import { mergeResponses } from './tree-merge.ts';
import { groupByProcessor } from './tree-plan.ts';
import type { Usage } from './usage.ts';
import type { ValidQuery } from './validate-query.ts';

/** One request's search of a pinned base. */
export interface BaseSearch {
  /** The index's served name: the processor pool is entered at its hash. */
  readonly name: string;
  readonly base: BaseVersion;
  readonly uri: string;
  readonly queries: readonly ValidQuery[];
  /** Holds the tail's hits already (they count as found rows for the plan). */
  readonly progress: QueryProgress;
  readonly usage: Usage;
  readonly requestId: string;
  readonly deadline: number;
  /** Per partition, the local rows the tail masks (`maskedRows`); undefined: none. */
  readonly exclude: ReadonlyMap<number, number[]> | undefined;
  /** Extra answer bytes per match of each query (its includes), for the answer bound. */
  readonly extraAnswerBytes: readonly number[];
}

/** What the rounds need of the coordinator. */
export interface RoundsContext {
  readonly config: Pick<
    FunctionConfig,
    | 'processorFunctions'
    | 'partitionsPerProcessor'
    | 'branching'
    | 'fanoutFunction'
    | 'invokeTimeoutMs'
    | 'requestTimeoutMs'
    | 'deadlineMarginMs'
  >;
  readonly invoker: Invoker;
  readonly parameters: SearchParameters;
  readonly maxPayloadBytes: number;
  readonly now: () => number;
}

/**
 * Runs core's query plan on the base a round at a time over the fan-out tree (round 1: the routed
 * partitions; round 2, when needed: the top-up partitions the merged results call for), merging
 * each round into `progress`. Masked rows are excluded by the processors, and the plan counts the
 * hits actually held, so a partition thinned by masking makes the plan visit more when needed.
 * Returns the partitions visited.
 */
export async function runBaseRounds(search: BaseSearch, context: RoundsContext): Promise<number> {
  const { base, queries, progress, usage, deadline } = search;
  const { config } = context;
  const rows = rowBytesOf(base.manifest, queries).map((r, q) => ({
    wire: r.wire,
    answer: r.answer + (search.extraAnswerBytes[q] ?? 0),
  }));
  assertAnswerFits(
    queries.map((q) => q.topK),
    rows,
    context.maxPayloadBytes,
  );
  const plans = queries.map((q) =>
    planQuery(base.routing, { vector: q.vector, topK: q.topK, filter: q.filter }, context.parameters),
  );
  const wires = queries.map((q, i) => toWireQuery(q, plans[i]!.reduced));
  for (let round = 1; ; round++) {
    const work = nextRound(plans, progress.hits, search.exclude);
    if (work.length === 0) break;
    progress.send(work);
    if (deadline - context.now() < 2 * config.deadlineMarginMs) {
      // No time left for another round: its partitions are missing for lack of time, and the
      // answer says so instead of running past the deadline.
      progress.fail(work, {
        reason: 'TIMEOUT',
        message: `the request deadline (${config.requestTimeoutMs} ms) left no time for routing round ${round}`,
      });
      break;
    }
    const response = await executeRound(search, context, base.manifest, wires, rows, work);
    usage.add(response);
    progress.receive(response, wires);
  }
  if (progress.nothingSearched()) {
    throw new RequestError(
      'NO_PARTITION_REACHABLE',
      `no partition of index "${base.manifest.name}" could be searched: ${progress.faultSummary()}`,
    );
  }
  return new Set(plans.flatMap((plan) => plan.visited)).size;
}

/** One round over the tree: splits the work into payload-sized chunks and merges their answers. */
async function executeRound(
  search: BaseSearch,
  context: RoundsContext,
  manifest: PinnedManifest,
  wires: WireQuery[],
  rows: readonly RowBytes[],
  work: WorkItem[],
): Promise<TreeResponse> {
  const { config } = context;
  const chunks = chunkQueries(
    wires,
    work,
    Math.floor(context.maxPayloadBytes * PAYLOAD_BUDGET_SHARE),
    wires.map((w, q) => w.topK * rows[q]!.wire),
  );
  const responses = await Promise.all(
    chunks.map((chunk) =>
      runUnits(
        groupByProcessor(search.name, chunk.work, config.processorFunctions, config.partitionsPerProcessor),
        {
          requestId: search.requestId,
          index: manifest.name,
          version: manifest.version,
          indexUri: search.uri,
          queries: chunk.queries,
          branching: config.branching,
          fanoutFunction: config.fanoutFunction,
          invokeTimeoutMs: config.invokeTimeoutMs,
          deadlineMarginMs: config.deadlineMarginMs,
          deadline: search.deadline,
          depth: 0,
          now: context.now,
        },
        context.invoker,
      ).then((response) => chunk.expand(response, wires.length)),
    ),
  );
  return mergeResponses(
    responses,
    wires.map((w) => w.topK),
  );
}
