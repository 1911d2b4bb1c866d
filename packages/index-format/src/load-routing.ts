import {
  type AttributeSchema,
  type LeanVecModel,
  leanVecFromJSON,
  type QuantizedAttributes,
} from '@squash/core';
import type { BlobStore } from '@squash/storage';
import { decodeQuantizedAttributes } from './attribute-objects.ts';
import { BlockReader } from './block-reader.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import type { LoadOptions } from './load-options.ts';
import type { IndexManifest } from './manifest.ts';
import { type ObjectBytes, parseJsonObject, readObject } from './read-object.ts';

export interface LoadedRouting {
  readonly leanvec: LeanVecModel;
  /** partitions x d, reduced space. */
  readonly centroids: Float32Array;
  readonly radii: Float32Array;
  /** Partition of each global row. */
  readonly membership: Uint32Array;
  readonly quantizedAttributes: QuantizedAttributes | undefined;
  /** The attribute schema (`{}` when the index has no attributes). */
  readonly schema: AttributeSchema;
  readonly bytesRead: number;
}

/**
 * Loads what the coordinator needs to route a query without touching any partition: the LeanVec
 * model (to reduce the query), centroids and radii (to rank partitions), partition membership
 * and the quantized attribute codes (to turn a filter into per-partition candidate sets).
 *
 * @throws IndexCorruptError naming the object that is missing, damaged or inconsistent.
 */
export async function loadRouting(
  store: BlobStore,
  manifest: IndexManifest,
  options: LoadOptions = {},
): Promise<LoadedRouting> {
  const verify = options.verify ?? true;
  const { routing } = manifest;
  const read = (ref: typeof routing.centroids): Promise<ObjectBytes> =>
    readObject(store, manifest.version, ref, verify);
  const [leanvec, centroids, radii, membership, quantized] = await Promise.all([
    read(manifest.leanvec),
    read(routing.centroids),
    read(routing.radii),
    read(routing.membership),
    routing.quantizedAttributes === undefined ? undefined : read(routing.quantizedAttributes),
  ]);
  return {
    ...decodeRouting(manifest, { leanvec, centroids, radii, membership, quantized }),
    bytesRead: [leanvec, centroids, radii, membership, quantized].reduce(
      (s, o) => s + (o?.bytes.byteLength ?? 0),
      0,
    ),
  };
}

export interface RoutingBytes {
  readonly leanvec: ObjectBytes;
  readonly centroids: ObjectBytes;
  readonly radii: ObjectBytes;
  readonly membership: ObjectBytes;
  readonly quantized: ObjectBytes | undefined;
}

/** Decodes the routing objects, checking each against the manifest. */
export function decodeRouting(
  manifest: IndexManifest,
  objects: RoutingBytes,
): Omit<LoadedRouting, 'bytesRead'> {
  const partitions = manifest.partitions.length;
  const centroids = single(objects.centroids, (r) =>
    r.numeric<Float32Array>('CENT', 'f32', [partitions, manifest.reducedDim]),
  );
  const radii = single(objects.radii, (r) => r.numeric<Float32Array>('RADI', 'f32', [partitions]));
  const membership = single(objects.membership, (r) =>
    r.numeric<Uint32Array>('MEMB', 'u32', [manifest.count]),
  );
  for (let i = 0; i < membership.length; i++) {
    if (membership[i]! >= partitions) {
      throw new IndexCorruptError(
        objects.membership.key,
        `object ${objects.membership.key}: row ${i} is in partition ${membership[i]}`,
      );
    }
  }
  return {
    leanvec: decodeLeanVec(manifest, objects.leanvec),
    centroids,
    radii,
    membership,
    quantizedAttributes:
      manifest.attributes === null || objects.quantized === undefined
        ? undefined
        : decodeQuantizedAttributes(
            objects.quantized.bytes,
            objects.quantized.key,
            manifest.attributes,
            manifest.count,
          ),
    schema: manifest.attributes?.schema ?? {},
  };
}

function decodeLeanVec(manifest: IndexManifest, object: ObjectBytes): LeanVecModel {
  let model: LeanVecModel;
  try {
    model = leanVecFromJSON(parseJsonObject(object.bytes, object.key));
  } catch (error) {
    if (error instanceof IndexCorruptError) throw error;
    throw new IndexCorruptError(object.key, `object ${object.key}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (
    model.inputDim !== manifest.dim ||
    model.outputDim !== manifest.reducedDim ||
    model.metric !== manifest.metric
  ) {
    throw new IndexCorruptError(
      object.key,
      `object ${object.key}: model is ${model.metric} ${model.inputDim} -> ${model.outputDim}; the manifest says ${manifest.metric} ${manifest.dim} -> ${manifest.reducedDim}`,
    );
  }
  return model;
}

function single<T>(object: ObjectBytes, read: (reader: BlockReader) => T): T {
  const reader = new BlockReader(object.bytes, object.key);
  const value = read(reader);
  reader.end();
  return value;
}
