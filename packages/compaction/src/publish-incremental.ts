import type { QuantizedAttributes } from '@squash/core';
import {
  type AttributesManifest,
  CurrentMovedError,
  type CurrentTag,
  deleteVersion,
  encodeBlocks,
  encodeQuantizedAttributes,
  INDEX_FORMAT,
  INDEX_FORMAT_VERSION,
  IndexCorruptError,
  type IndexManifest,
  jsonBytes,
  manifestKey,
  manifestObjects,
  mapLimit,
  numericBlock,
  OBJECT_NAMES,
  type ObjectRef,
  objectKey,
  type PartitionEntry,
  partitionObjectKey,
  partitionObjects,
  stringsBlock,
  writeCurrent,
} from '@squash/index-format';
import { type BlobStore, crc32cHex } from '@squash/storage';

/** The parts of an incremental version that are not rewritten partitions. */
export interface IncrementalVersion {
  readonly base: IndexManifest;
  readonly version: string;
  readonly now: Date;
  readonly logSequence: number;
  readonly count: number;
  /** Manifest entries of the rewritten partitions (objects already written), by partition. */
  readonly rewritten: ReadonlyMap<number, PartitionEntry>;
  /** Row ids of every unaffected partition (to write ids objects for a `row-number` base). */
  readonly unaffectedRowIds: ReadonlyMap<number, Uint32Array>;
  readonly membership: Uint32Array;
  readonly quantized: QuantizedAttributes | undefined;
  readonly current: CurrentTag;
  readonly concurrency: number;
}

/**
 * Completes an incremental version whose rewritten partitions are already in its folder: copies
 * the unaffected partitions' objects as they are (adding an ids object when the base numbered its
 * ids by row), writes the routing objects, then the manifest, then `CURRENT` conditionally. On
 * any failure the version is deleted (best effort; `gc` removes what a crash leaves) and the error
 * rethrown; a lost race on `CURRENT` becomes `CurrentMovedError`.
 */
export async function publishIncremental(store: BlobStore, v: IncrementalVersion): Promise<IndexManifest> {
  try {
    const upload = async (key: string, bytes: Uint8Array): Promise<ObjectRef> => {
      await store.put(objectKey(v.version, key), bytes);
      return { key, bytes: bytes.byteLength, crc32c: await crc32cHex(bytes) };
    };
    const partitions = await mapLimit(v.base.partitions, v.concurrency, async (entry) => {
      return v.rewritten.get(entry.id) ?? (await copyPartition(store, v, entry, upload));
    });
    const d = v.base.reducedDim;
    const attributes = updatedAttributes(v.base.attributes, v.quantized);
    const centroids = new Float32Array(partitions.length * d);
    partitions.forEach((entry, p) => {
      centroids.set(entry.centroid, p * d);
    });
    const leanvec = await copyObject(store, v.base, v.version, v.base.leanvec);
    const routing = {
      centroids: await upload(
        OBJECT_NAMES.centroids,
        encodeBlocks([numericBlock('CENT', centroids, [partitions.length, d])]),
      ),
      radii: await upload(
        OBJECT_NAMES.radii,
        encodeBlocks([
          numericBlock(
            'RADI',
            Float32Array.from(partitions, (p) => p.radius),
          ),
        ]),
      ),
      membership: await upload(OBJECT_NAMES.membership, encodeBlocks([numericBlock('MEMB', v.membership)])),
      ...(attributes === null
        ? {}
        : {
            quantizedAttributes: await upload(
              OBJECT_NAMES.quantizedAttributes,
              encodeQuantizedAttributes(v.quantized!, attributes),
            ),
          }),
    };
    const withoutTotal: IndexManifest = {
      format: INDEX_FORMAT,
      formatVersion: INDEX_FORMAT_VERSION,
      name: v.base.name,
      version: v.version,
      createdAt: v.now.toISOString(),
      metric: v.base.metric,
      dim: v.base.dim,
      reducedDim: d,
      count: v.count,
      logSequence: v.logSequence,
      idsKind: 'strings',
      buildParameters: v.base.buildParameters,
      leanvec,
      routing,
      attributes,
      partitions,
      totalBytes: 0,
    };
    const manifest = {
      ...withoutTotal,
      totalBytes: manifestObjects(withoutTotal).reduce((sum, ref) => sum + ref.bytes, 0),
    };
    await store.put(manifestKey(v.version), jsonBytes(manifest), { contentType: 'application/json' });
    await writeCurrent(store, v.version, v.current);
    return manifest;
  } catch (error) {
    await deleteVersion(store, v.version).catch(() => undefined);
    if ((error as { code?: unknown }).code === 'PRECONDITION_FAILED')
      throw new CurrentMovedError(v.current.version, v.version, error);
    throw error;
  }
}

async function copyPartition(
  store: BlobStore,
  v: IncrementalVersion,
  entry: PartitionEntry,
  upload: (key: string, bytes: Uint8Array) => Promise<ObjectRef>,
): Promise<PartitionEntry> {
  for (const ref of partitionObjects(entry)) await copyObject(store, v.base, v.version, ref);
  if (entry.objects.ids !== undefined) return entry;
  const rowIds = v.unaffectedRowIds.get(entry.id)!;
  const ids = await upload(
    partitionObjectKey(entry.id, 'ids'),
    encodeBlocks([stringsBlock('IDST', Array.from(rowIds, String))]),
  );
  return { ...entry, objects: { ...entry.objects, ids } };
}

/** Copies one object of the base into the new version unchanged (same relative key and ref). */
async function copyObject(
  store: BlobStore,
  base: IndexManifest,
  version: string,
  ref: ObjectRef,
): Promise<ObjectRef> {
  const from = objectKey(base.version, ref.key);
  const bytes = await store.get(from);
  if (bytes === undefined || bytes.byteLength !== ref.bytes) {
    throw new IndexCorruptError(
      from,
      `object ${from} of the base version is missing or not ${ref.bytes} bytes`,
    );
  }
  await store.put(objectKey(version, ref.key), bytes);
  return ref;
}

/** The base's attribute columns with each numeric column's `exact` as the widened cells leave it. */
function updatedAttributes(
  base: AttributesManifest | null,
  quantized: QuantizedAttributes | undefined,
): AttributesManifest | null {
  if (base === null || quantized === undefined) return null;
  return {
    schema: base.schema,
    columns: base.columns.map((column) => {
      const q = quantized.attributes.get(column.name);
      return q !== undefined && 'exact' in q && 'exact' in column ? { ...column, exact: q.exact } : column;
    }),
  };
}
