import { InvalidArgumentError } from '@squash/errors';
import type { BlobStore } from '@squash/storage';
import { tryReadCurrentVersion } from './current-version.ts';
import { IndexNotFoundError } from './index-format-errors.ts';
import {
  assertVersionId,
  isVersionId,
  MANIFEST_NAME,
  manifestKey,
  VERSIONS_PREFIX,
  versionCreatedAt,
  versionPrefix,
} from './store-layout.ts';

export interface VersionInfo {
  readonly version: string;
  /** Creation time encoded in the version id (ISO 8601). */
  readonly createdAt: string;
  readonly isCurrent: boolean;
  /** Whether the manifest exists; false for a publish that stopped (or is still running). */
  readonly complete: boolean;
  /** Bytes of every object under the version, manifest included. */
  readonly bytes: number;
  readonly objects: number;
}

/**
 * Every version stored under the root, newest first, from one listing of `versions/` (no
 * object is read but `CURRENT`). Folders whose name is not a version id are ignored.
 */
export async function listVersions(store: BlobStore): Promise<VersionInfo[]> {
  const current = await tryReadCurrentVersion(store);
  const found = new Map<string, { bytes: number; objects: number; complete: boolean }>();
  for await (const { key, sizeBytes } of store.list(VERSIONS_PREFIX)) {
    const rest = key.slice(VERSIONS_PREFIX.length);
    const slash = rest.indexOf('/');
    const version = rest.slice(0, slash);
    if (slash < 0 || !isVersionId(version)) continue;
    const info = found.get(version) ?? { bytes: 0, objects: 0, complete: false };
    info.bytes += sizeBytes;
    info.objects += 1;
    if (rest.slice(slash + 1) === MANIFEST_NAME) info.complete = true;
    found.set(version, info);
  }
  return [...found.keys()]
    .sort()
    .reverse()
    .map((version) => ({
      version,
      createdAt: versionCreatedAt(version),
      isCurrent: version === current,
      ...found.get(version)!,
    }));
}

/**
 * Deletes a version: first its manifest (so from that moment no new reader can pin it), then
 * every other object under it. Returns the number of objects deleted. Readers already pinned to
 * the version fail on their next object read with `INDEX_CORRUPT` (object missing).
 *
 * @throws InvalidArgumentError when `version` is the current version (point `CURRENT` elsewhere
 *   with `setCurrentVersion` or publish first).
 * @throws IndexNotFoundError when nothing is stored under the version.
 */
export async function deleteVersion(store: BlobStore, version: string): Promise<number> {
  assertVersionId(version);
  if (version === (await tryReadCurrentVersion(store))) {
    throw new InvalidArgumentError(
      'version',
      `version ${version} is the current version; make another version current before deleting it`,
    );
  }
  const hadManifest = (await store.head(manifestKey(version))) !== undefined;
  await store.delete(manifestKey(version));
  const deleted = (hadManifest ? 1 : 0) + (await store.deletePrefix(versionPrefix(version)));
  if (deleted === 0) throw new IndexNotFoundError(version, `version ${version} does not exist`);
  return deleted;
}

export interface GcVersionsOptions {
  /** Complete versions to keep, newest first; the current version is kept in addition. */
  readonly keep: number;
  /**
   * Incomplete versions (no manifest) younger than this are left alone: they may be a publish
   * still uploading. Older ones are the remains of a failed publish and are deleted.
   * @default 3_600_000 (one hour)
   */
  readonly incompleteGraceMs?: number;
  /** The time to compare version ages with. @default new Date() */
  readonly now?: Date;
}

export interface GcResult {
  readonly deleted: string[];
  readonly kept: string[];
  readonly objectsDeleted: number;
}

/**
 * Deletes old versions: keeps the `keep` newest complete versions and the current one, deletes
 * the other complete versions and incomplete versions older than `incompleteGraceMs`.
 *
 * @throws InvalidArgumentError when `keep` is not an integer >= 1.
 */
export async function gcVersions(store: BlobStore, options: GcVersionsOptions): Promise<GcResult> {
  const { keep } = options;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new InvalidArgumentError('keep', `keep is ${keep}; allowed: an integer >= 1`);
  }
  const graceMs = options.incompleteGraceMs ?? 3_600_000;
  const nowMs = (options.now ?? new Date()).getTime();
  const versions = await listVersions(store);
  const newestComplete = new Set(
    versions
      .filter((v) => v.complete)
      .slice(0, keep)
      .map((v) => v.version),
  );
  const doomed = versions.filter(
    (v) =>
      !v.isCurrent &&
      (v.complete ? !newestComplete.has(v.version) : nowMs - Date.parse(v.createdAt) > graceMs),
  );
  let objectsDeleted = 0;
  for (const v of doomed) objectsDeleted += await deleteVersion(store, v.version);
  const deleted = new Set(doomed.map((v) => v.version));
  return {
    deleted: [...deleted],
    kept: versions.filter((v) => !deleted.has(v.version)).map((v) => v.version),
    objectsDeleted,
  };
}
