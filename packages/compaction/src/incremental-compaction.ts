import { loadRouting, mapLimit, newVersionId, type PartitionEntry, type TailRow } from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import { assignPartitions } from './assign-partitions.ts';
import { type AttributeValues, quantizeNewRows } from './attribute-codes.ts';
import type { BaseRows } from './base-rows.ts';
import type { PartitionExecutor } from './partition-executor.ts';
import { planPartitions } from './partition-plan.ts';
import { toWireRow } from './partition-task.ts';
import { publishIncremental } from './publish-incremental.ts';
import { renumberRows } from './row-numbering.ts';
import type { CompactionSnapshot } from './snapshot.ts';

export interface IncrementalResult {
  readonly version: string;
  readonly count: number;
  readonly partitionsRewritten: number;
  readonly rowsMoved: number;
}

/**
 * Folds the tail into the base partition by partition: new rows go to their nearest centroid,
 * every partition that gains, loses or renumbers rows is rebuilt by one task (through
 * `executor`), the others are copied, and the version is published with a conditional `CURRENT`.
 * `removed` holds the base rows whose ids the tail replaces or deletes.
 */
export async function compactIncrementally(
  store: BlobStore,
  snapshot: CompactionSnapshot,
  base: BaseRows,
  removed: ReadonlySet<number>,
  options: { readonly executor: PartitionExecutor; readonly now: Date; readonly concurrency: number },
): Promise<IncrementalResult> {
  const manifest = snapshot.manifest!;
  const routing = await loadRouting(store, manifest);
  const newRows = [...snapshot.tail.rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const numbering = renumberRows(manifest.count, removed, newRows.length);
  const vectors = new Float32Array(newRows.length * manifest.dim);
  newRows.forEach((row, k) => {
    vectors.set(row.vector, k * manifest.dim);
  });
  const assignment = assignPartitions(routing.leanvec, routing.centroids, vectors, newRows.length);
  const changes = planPartitions(base, numbering, newRows, assignment);
  const version = newVersionId(options.now);
  const maxBitsPerDim = manifest.buildParameters.bitsPerDim <= 4 ? 4 : 8;
  const affected = changes.filter((change) => change.affected);
  let results: PartitionEntry[];
  try {
    results = await mapLimit(affected, options.executor.concurrency, async (change) => {
      const { entry } = await options.executor.run({
        baseVersion: manifest.version,
        version,
        partitionId: change.partitionId,
        keepLocal: change.keepLocal,
        keepRowIds: change.keepRowIds,
        add: change.add.map(toWireRow),
        maxBitsPerDim,
      });
      return entry;
    });
  } catch (error) {
    // Tasks may have written objects of the version: it has no manifest, so nobody reads it.
    await store.deletePrefix(`versions/${version}/`).catch(() => undefined);
    throw error;
  }
  const membership = new Uint32Array(numbering.count);
  const unaffectedRowIds = new Map<number, Uint32Array>();
  for (const change of changes) {
    if (!change.affected)
      unaffectedRowIds.set(change.partitionId, base.partitions[change.partitionId]!.rowIds);
    for (const row of change.keepRowIds) membership[row] = change.partitionId;
    for (const row of change.add) membership[row.rowId] = change.partitionId;
  }
  await publishIncremental(store, {
    base: manifest,
    version,
    now: options.now,
    logSequence: snapshot.tail.lastSequence,
    count: numbering.count,
    rewritten: new Map(results.map((entry) => [entry.id, entry])),
    unaffectedRowIds,
    membership,
    quantized:
      routing.quantizedAttributes === undefined
        ? undefined
        : quantizeNewRows(
            routing.quantizedAttributes,
            numbering.count,
            baseRowOf(numbering.baseToNew, numbering.count),
            newRowValues(newRows, numbering.newRows),
          ),
    current: snapshot.current,
    concurrency: options.concurrency,
  });
  return {
    version,
    count: numbering.count,
    partitionsRewritten: affected.length,
    rowsMoved: numbering.moved,
  };
}

function baseRowOf(baseToNew: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count).fill(-1);
  baseToNew.forEach((next, row) => {
    if (next >= 0) out[next] = row;
  });
  return out;
}

function newRowValues(rows: readonly TailRow[], rowIds: Uint32Array): (row: number) => AttributeValues {
  const byRow = new Map<number, AttributeValues>();
  rows.forEach((row, k) => {
    byRow.set(rowIds[k]!, row.attributes);
  });
  return (row) => byRow.get(row) ?? {};
}
