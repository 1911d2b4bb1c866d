import type { IndexManifest } from '@squash/index-format';
import { loadManifestBytes, loadPartition, loadRouting, readCurrentVersion } from '@squash/index-format';
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
