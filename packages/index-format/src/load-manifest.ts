import type { BlobStore } from '@squash/storage';
import { readCurrentVersion } from './current-version.ts';
import { IndexNotFoundError } from './index-format-errors.ts';
import type { IndexManifest } from './manifest.ts';
import { parseManifest } from './parse-manifest.ts';
import { parseJsonObject } from './read-object.ts';
import { assertVersionId, manifestKey } from './store-layout.ts';

/**
 * The manifest of `version`, or of the current version when `version` is omitted. A reader that
 * keeps this manifest is pinned to its version: later publishes do not change what it reads
 * (until `gcVersions` / `deleteVersion` removes the version).
 *
 * @throws InvalidArgumentError when `version` is not a version id.
 * @throws IndexNotFoundError when there is no `CURRENT` or no such version.
 * @throws IndexCorruptError naming the manifest key when it is not a valid manifest.
 */
export async function loadManifest(store: BlobStore, version?: string): Promise<IndexManifest> {
  return (await loadManifestBytes(store, version)).manifest;
}

/** `loadManifest` and the manifest's size in bytes, for callers that account for bytes read. */
export async function loadManifestBytes(
  store: BlobStore,
  version?: string,
): Promise<{ manifest: IndexManifest; bytesRead: number }> {
  const pinned = version ?? (await readCurrentVersion(store));
  assertVersionId(pinned);
  const key = manifestKey(pinned);
  const bytes = await store.get(key);
  if (bytes === undefined) {
    throw new IndexNotFoundError(pinned, `version ${pinned} of the index does not exist (no ${key})`);
  }
  return { manifest: parseManifest(parseJsonObject(bytes, key), pinned), bytesRead: bytes.byteLength };
}
