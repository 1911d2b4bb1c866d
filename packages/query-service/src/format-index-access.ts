import type { IndexManifest, LogEntry, RowLocation } from '@squash/index-format';
import {
  loadManifestBytes,
  loadPartition,
  loadRouting,
  readCurrentVersion,
  readIdLocations,
  readLog,
  readRowMetadata,
  readVectorRows,
  tryReadCurrentVersion,
} from '@squash/index-format';
import { type BlobStore, openBlobStore } from '@squash/storage';
import type { IndexAccess, LoadedPartition, PinnedManifest, RoutingData } from './index-access.ts';

/**
 * `IndexAccess` over the versioned index format in a `BlobStore` (S3 in AWS, a directory for
 * `squash serve`). Checksums are verified on every load; stores are opened once per URI.
 */
export class FormatIndexAccess implements IndexAccess {
  private readonly stores = new Map<string, BlobStore>();

  constructor(private readonly open: (uri: string) => BlobStore = (uri) => openBlobStore(uri)) {}

  currentVersion(uri: string): Promise<string> {
    return readCurrentVersion(this.store(uri));
  }

  async manifest(uri: string, version: string): Promise<PinnedManifest> {
    const { manifest, bytesRead } = await loadManifestBytes(this.store(uri), version);
    return pin(manifest, bytesRead);
  }

  partition(uri: string, manifest: PinnedManifest, partition: number): Promise<LoadedPartition> {
    return loadPartition(this.store(uri), manifest.manifest, partition);
  }

  routing(uri: string, manifest: PinnedManifest): Promise<RoutingData> {
    return loadRouting(this.store(uri), manifest.manifest);
  }

  tryCurrentVersion(uri: string): Promise<string | undefined> {
    return tryReadCurrentVersion(this.store(uri));
  }

  logAfter(uri: string, afterSequence: number): Promise<LogEntry[]> {
    return readLog(this.store(uri), afterSequence);
  }

  idLocations(uri: string, manifest: PinnedManifest): Promise<Map<string, RowLocation>> {
    return readIdLocations(this.store(uri), manifest.manifest);
  }

  vectorRows(
    uri: string,
    manifest: PinnedManifest,
    partition: number,
    rows: readonly number[],
  ): Promise<Float32Array> {
    return readVectorRows(this.store(uri), manifest.manifest, partition, rows);
  }

  rowMetadata(
    uri: string,
    manifest: PinnedManifest,
    partition: number,
    rows: readonly number[],
  ): Promise<Array<Record<string, unknown> | undefined>> {
    return readRowMetadata(this.store(uri), manifest.manifest, partition, rows);
  }

  private store(uri: string): BlobStore {
    let store = this.stores.get(uri);
    if (store === undefined) {
      store = this.open(uri);
      this.stores.set(uri, store);
    }
    return store;
  }
}

function pin(manifest: IndexManifest, bytesRead: number): PinnedManifest {
  return {
    version: manifest.version,
    name: manifest.name,
    metric: manifest.metric,
    dim: manifest.dim,
    reducedDim: manifest.reducedDim,
    count: manifest.count,
    partitionCount: manifest.partitions.length,
    partitionSizes: Uint32Array.from(manifest.partitions, (p) => p.rows),
    schema: manifest.attributes?.schema ?? {},
    createdAt: manifest.createdAt,
    manifest,
    bytesRead,
  };
}
