import {
  appendToLog,
  foldLog,
  type LogAttributeValue,
  type LogOp,
  loadIndex,
  loadPartitionMetadata,
  readLog,
  tryReadCurrentVersion,
} from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import { valuesAt } from '../../src/live-rows.ts';

export interface LiveRow {
  readonly vector: Float32Array;
  readonly attributes: Readonly<Record<string, LogAttributeValue>>;
  readonly metadata: Record<string, unknown> | undefined;
}

/** The rows an index must hold: the model the stored state is compared with. */
export type LiveSet = Map<string, LiveRow>;

/** Appends `ops` to the log in requests of `batch` and applies them to `model`. */
export async function write(
  store: BlobStore,
  model: LiveSet,
  ops: readonly LogOp[],
  batch = 500,
): Promise<void> {
  for (let i = 0; i < ops.length; i += batch) await appendToLog(store, ops.slice(i, i + batch));
  for (const op of ops) {
    if (op.op === 'delete') model.delete(op.id);
    else model.set(op.id, { vector: op.vector, attributes: op.attributes ?? {}, metadata: op.metadata });
  }
}

/**
 * What a reader sees now: the current version's rows not masked by the tail, plus the tail's
 * upserts (readLog / foldLog from the version's logSequence), exactly as the query path merges them.
 */
export async function readLiveSet(store: BlobStore): Promise<LiveSet> {
  const out: LiveSet = new Map();
  const version = await tryReadCurrentVersion(store);
  let sequence = 0;
  if (version !== undefined) {
    const { manifest, index, idOf } = await loadIndex(store, { version });
    sequence = manifest.logSequence;
    const tail = foldLog(await readLog(store, sequence), sequence);
    for (const partition of index.parts.partitions) {
      const metadata = await loadPartitionMetadata(store, manifest, partition.partitionId);
      partition.rowIds.forEach((row, j) => {
        const id = idOf(row);
        if (tail.rows.has(id) || tail.deleted.has(id)) return;
        if (out.has(id)) throw new Error(`id ${id} is stored twice`);
        out.set(id, {
          vector: partition.vectors.slice(j * manifest.dim, (j + 1) * manifest.dim),
          attributes: valuesAt(index.parts.attributes, row),
          metadata: metadata[j],
        });
      });
    }
    for (const row of tail.rows.values()) out.set(row.id, row);
    return out;
  }
  const tail = foldLog(await readLog(store, 0), 0);
  for (const row of tail.rows.values()) out.set(row.id, row);
  return out;
}

/** The live set in a form `toEqual` compares exactly (attributes without missing values). */
export function normalized(set: LiveSet): Array<[string, number[], Record<string, unknown>, unknown]> {
  return [...set.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, row]) => [
      id,
      Array.from(row.vector),
      Object.fromEntries(Object.entries(row.attributes).filter(([, v]) => v !== null && v !== undefined)),
      row.metadata,
    ]);
}
