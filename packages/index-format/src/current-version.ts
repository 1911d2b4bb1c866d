import type { BlobStore } from '@squash/storage';
import { IndexCorruptError, IndexNotFoundError } from './index-format-errors.ts';
import { jsonBytes, parseJsonObject } from './read-object.ts';
import { assertVersionId, CURRENT_KEY, isVersionId, manifestKey } from './store-layout.ts';

/**
 * The version `CURRENT` points at: the one readers get when they ask for no particular version.
 *
 * @throws IndexNotFoundError when `CURRENT` is absent (nothing was ever published at this root).
 * @throws IndexCorruptError naming `CURRENT` when it is not `{"version": "<version id>"}`.
 */
export async function readCurrentVersion(store: BlobStore): Promise<string> {
  const version = await tryReadCurrentVersion(store);
  if (version === undefined) {
    throw new IndexNotFoundError(
      undefined,
      'no index here: the store has no CURRENT object (nothing has been published at this location)',
    );
  }
  return version;
}

/** As `readCurrentVersion`, but `undefined` when `CURRENT` is absent. */
export async function tryReadCurrentVersion(store: BlobStore): Promise<string | undefined> {
  const bytes = await store.get(CURRENT_KEY);
  if (bytes === undefined) return undefined;
  const json = parseJsonObject(bytes, CURRENT_KEY) as { version?: unknown } | null;
  const version = typeof json === 'object' && json !== null ? json.version : undefined;
  if (!isVersionId(version)) {
    throw new IndexCorruptError(CURRENT_KEY, `CURRENT does not hold {"version": "<version id>"}`);
  }
  return version;
}

/**
 * Points `CURRENT` at `version` (a rollback, or a roll forward to a version whose publish
 * stopped before this step). The version's manifest must exist; its objects are not re-checked
 * here (run `verifyIndex` first to be sure). One small PUT, atomic for readers.
 *
 * @throws IndexNotFoundError when the version has no manifest.
 */
export async function setCurrentVersion(store: BlobStore, version: string): Promise<void> {
  assertVersionId(version);
  if ((await store.head(manifestKey(version))) === undefined) {
    throw new IndexNotFoundError(version, `version ${version} does not exist (no ${manifestKey(version)})`);
  }
  await writeCurrent(store, version);
}

export async function writeCurrent(store: BlobStore, version: string): Promise<void> {
  await store.put(CURRENT_KEY, jsonBytes({ version }), { contentType: 'application/json' });
}
