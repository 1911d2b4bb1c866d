import { leanVecToJSON, type VectorIndex, type VectorIndexParts } from '@squash/core';
import { InvalidArgumentError } from '@squash/errors';
import { type BlobStore, crc32cHex } from '@squash/storage';
import { describeAttributes, encodeQuantizedAttributes } from './attribute-objects.ts';
import { encodeBlocks, numericBlock } from './binary-array.ts';
import { CurrentMovedError, type CurrentTag, writeCurrent } from './current-version.ts';
import {
  type AttributesManifest,
  INDEX_FORMAT,
  INDEX_FORMAT_VERSION,
  type IndexManifest,
  manifestObjects,
  type ObjectRef,
  type PartitionEntry,
  type PartitionObjects,
  type RoutingObjects,
} from './manifest.ts';
import { mapLimit } from './map-limit.ts';
import { encodeMetadataObject } from './metadata-object.ts';
import { encodePartition } from './partition-objects.ts';
import { jsonBytes } from './read-object.ts';
import { manifestKey, newVersionId, OBJECT_NAMES, objectKey, partitionObjectKey } from './store-layout.ts';
import { validateParts } from './validate-parts.ts';
import { deleteVersion } from './versions.ts';

export interface PublishIndexMeta {
  /** Name of the index, recorded in the manifest (1..256 characters). */
  readonly name: string;
  /**
   * Result id of each row (`ids[row]`). Omitted, or equal to the decimal row numbers, the ids are
   * not stored (`idsKind: "row-number"`); otherwise each partition gets an ids object.
   */
  readonly ids?: readonly string[];
  /** Sequence of the newest write-log entry this version folds in (`IndexManifest.logSequence`). @default 0 */
  readonly logSequence?: number;
  /**
   * Metadata of each row (`metadata[row]`: a JSON object or `undefined`). Each partition with at
   * least one row's metadata gets a metadata object (`metadata-object.ts`); omitted, none does.
   */
  readonly metadata?: ReadonlyArray<Record<string, unknown> | undefined>;
}

export interface PublishIndexOptions {
  /** Time of the publish: it names the version and becomes `createdAt`. @default new Date() */
  readonly now?: Date;
  /**
   * Partitions encoded and uploaded at once (objects within a partition go one after another).
   * More overlaps more requests on S3 and holds more encoded partitions in memory.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Where the objects of a publish that fails before `CURRENT` moves are deleted, so nothing of
   * it stays behind for `gc` to find. Pass the unwrapped store when `store` refuses every call
   * after an interrupt (the CLI's interruptible store does).
   * @default store
   */
  readonly cleanupStore?: BlobStore;
  /**
   * Move `CURRENT` only if it still is what `readCurrentTag` returned when the caller took its
   * snapshot (a conditional PUT). A compaction passes it so that it never replaces a version
   * published after the one it folded; a bulk build does not (last writer wins).
   * @default undefined (unconditional)
   */
  readonly expectCurrent?: CurrentTag;
}

export interface PublishResult {
  readonly version: string;
  readonly manifest: IndexManifest;
}

/**
 * Writes `index` as a new version and makes it current. The protocol makes a publish atomic for
 * readers: (1) every object of the version is written under `versions/<version>/`; (2) then the
 * version's `manifest.json`, which lists every object with its size and CRC-32C; (3) then
 * `CURRENT`. A publish that fails (an error or an interrupt) before `CURRENT` moves deletes what
 * it wrote (`cleanupStore`), so nothing of it remains. Only a crash (the process killed) can leave
 * objects behind: before (2) an incomplete version nobody reads (`gcVersions` removes it after its
 * grace period); before (3) a complete version that is not current (`setCurrentVersion` can
 * adopt it). Readers that have already read a manifest keep reading that version.
 *
 * Two concurrent publishes to one root both complete; `CURRENT` ends at whichever wrote it last,
 * unless `expectCurrent` makes the write of `CURRENT` conditional: then the later one fails with
 * `CurrentMovedError` (`PRECONDITION_FAILED`) and deletes its version.
 *
 * @throws InvalidArgumentError when the parts are inconsistent (see `validateParts`) or `meta` is
 *   invalid; nothing has been written then.
 * @throws StorageError when a write fails; `CURRENT` is unchanged unless the failure was in (3).
 */
export async function publishIndex(
  store: BlobStore,
  index: VectorIndex | VectorIndexParts,
  meta: PublishIndexMeta,
  options: PublishIndexOptions = {},
): Promise<PublishResult> {
  // Duck-typed rather than `instanceof`, so a VectorIndex from another copy of core still works.
  const parts = 'parts' in index ? index.parts : index;
  validateParts(parts, meta);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError('concurrency', `concurrency is ${concurrency}; allowed: an integer >= 1`);
  }
  const now = options.now ?? new Date();
  const version = newVersionId(now);
  const ids = meta.ids?.some((id, row) => id !== String(row)) ? meta.ids : null;
  const attributes =
    parts.attributes === undefined ? null : describeAttributes(parts.attributes, parts.quantizedAttributes!);
  const upload = async (relativeKey: string, bytes: Uint8Array, contentType?: string): Promise<ObjectRef> => {
    await store.put(
      objectKey(version, relativeKey),
      bytes,
      contentType === undefined ? undefined : { contentType },
    );
    return { key: relativeKey, bytes: bytes.byteLength, crc32c: await crc32cHex(bytes) };
  };
  try {
    const leanvec = await upload(
      OBJECT_NAMES.leanvec,
      jsonBytes(leanVecToJSON(parts.leanvec)),
      'application/json',
    );
    const routing = await uploadRouting(parts, attributes, upload);
    const partitions = await mapLimit(parts.partitions, concurrency, async (partition, p) => {
      const encoded = encodePartition(partition, attributes, ids);
      const refs: Record<string, ObjectRef> = {};
      for (const { name, bytes } of encoded.objects)
        refs[camelCase(name)] = await upload(partitionObjectKey(p, name), bytes);
      const metadata = partitionMetadata(partition.rowIds, meta.metadata);
      if (metadata !== undefined)
        refs.metadata = await upload(partitionObjectKey(p, 'metadata'), encodeMetadataObject(metadata));
      const d = parts.leanvec.outputDim;
      const entry: PartitionEntry = {
        id: p,
        rows: partition.rowIds.length,
        centroid: Array.from(parts.centroids.subarray(p * d, (p + 1) * d)),
        radius: parts.radii[p]!,
        quantizer: encoded.quantizer,
        objects: refs as unknown as PartitionObjects,
      };
      return entry;
    });
    const manifest = assembleManifest(parts, meta, version, now, ids !== null, {
      leanvec,
      routing,
      attributes,
      partitions,
    });
    await store.put(manifestKey(version), jsonBytes(manifest), { contentType: 'application/json' });
    await writeCurrent(store, version, options.expectCurrent);
    return { version, manifest };
  } catch (error) {
    // Nothing points at this version (CURRENT moves last), so its objects can go; a cleanup that
    // fails too leaves them to `gc`'s grace period. (`deleteVersion` refuses the version CURRENT
    // names, so a CURRENT write whose response was lost keeps its version.)
    await deleteVersion(options.cleanupStore ?? store, version).catch(() => undefined);
    const lost = (error as { code?: unknown }).code === 'PRECONDITION_FAILED';
    if (lost && options.expectCurrent !== undefined)
      throw new CurrentMovedError(options.expectCurrent.version, version, error);
    throw error;
  }
}

type Upload = (relativeKey: string, bytes: Uint8Array) => Promise<ObjectRef>;

async function uploadRouting(
  parts: VectorIndexParts,
  attributes: AttributesManifest | null,
  upload: Upload,
): Promise<RoutingObjects> {
  const partitions = parts.partitions.length;
  const d = parts.leanvec.outputDim;
  return {
    centroids: await upload(
      OBJECT_NAMES.centroids,
      encodeBlocks([numericBlock('CENT', parts.centroids, [partitions, d])]),
    ),
    radii: await upload(OBJECT_NAMES.radii, encodeBlocks([numericBlock('RADI', parts.radii)])),
    membership: await upload(OBJECT_NAMES.membership, encodeBlocks([numericBlock('MEMB', parts.membership)])),
    ...(attributes === null
      ? {}
      : {
          quantizedAttributes: await upload(
            OBJECT_NAMES.quantizedAttributes,
            encodeQuantizedAttributes(parts.quantizedAttributes!, attributes),
          ),
        }),
  };
}

function assembleManifest(
  parts: VectorIndexParts,
  meta: PublishIndexMeta,
  version: string,
  now: Date,
  stringIds: boolean,
  stored: {
    leanvec: ObjectRef;
    routing: RoutingObjects;
    attributes: AttributesManifest | null;
    partitions: PartitionEntry[];
  },
): IndexManifest {
  const withoutTotal: Omit<IndexManifest, 'totalBytes'> = {
    format: INDEX_FORMAT,
    formatVersion: INDEX_FORMAT_VERSION,
    name: meta.name,
    version,
    createdAt: now.toISOString(),
    metric: parts.metric,
    dim: parts.dim,
    reducedDim: parts.leanvec.outputDim,
    count: parts.count,
    logSequence: meta.logSequence ?? 0,
    idsKind: stringIds ? 'strings' : 'row-number',
    buildParameters: { ...parts.buildParameters },
    leanvec: stored.leanvec,
    routing: stored.routing,
    attributes: stored.attributes,
    partitions: stored.partitions,
  };
  const totalBytes = manifestObjects({ ...withoutTotal, totalBytes: 0 }).reduce(
    (sum, ref) => sum + ref.bytes,
    0,
  );
  return { ...withoutTotal, totalBytes };
}

/** The partition's rows' metadata in local order, or `undefined` when none of them has any. */
function partitionMetadata(
  rowIds: Uint32Array,
  metadata: PublishIndexMeta['metadata'],
): Array<Record<string, unknown> | undefined> | undefined {
  if (metadata === undefined) return undefined;
  const local = Array.from(rowIds, (row) => metadata[row]);
  return local.some((m) => m !== undefined) ? local : undefined;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
