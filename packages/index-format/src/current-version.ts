import { SquashError } from '@squash/errors';
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

/**
 * What `CURRENT` held when a writer read it: the version (`undefined` when nothing was published)
 * and the object's tag, so the writer can later move `CURRENT` only if nobody else did since.
 */
export interface CurrentTag {
  readonly version: string | undefined;
  /** `BlobHead.etag` of `CURRENT`; `undefined` when there was no `CURRENT`. */
  readonly etag: string | undefined;
}

/**
 * Reads `CURRENT` with its tag. The tag is read before the content: if another writer moves
 * `CURRENT` in between, the tag is the older one, so a later conditional write fails (a safe,
 * spurious conflict) rather than overwrite a version this reader never saw.
 *
 * @throws IndexCorruptError naming `CURRENT` when it is malformed.
 */
export async function readCurrentTag(store: BlobStore): Promise<CurrentTag> {
  const head = await store.head(CURRENT_KEY);
  const version = await tryReadCurrentVersion(store);
  return { version, etag: head?.etag };
}

/**
 * `CURRENT` moved between a writer's `readCurrentTag` and its conditional write of `CURRENT`:
 * another publish (a build, another compaction, a rollback) won. Code `PRECONDITION_FAILED`;
 * `CURRENT` was not changed and the loser's version has been deleted. Retrying means starting
 * over from the new `CURRENT`.
 */
export class CurrentMovedError extends SquashError<'PRECONDITION_FAILED'> {
  /** The version this writer expected `CURRENT` to name (`undefined`: no `CURRENT`). */
  readonly expected: string | undefined;
  /** The version this writer published and did not make current. */
  readonly version: string;

  constructor(expected: string | undefined, version: string, cause: unknown) {
    super(
      'PRECONDITION_FAILED',
      `CURRENT no longer names ${expected ?? 'nothing'} (another publish moved it); version ${version} was not made current and has been deleted`,
      { cause },
    );
    this.expected = expected;
    this.version = version;
  }
}

/**
 * Writes `CURRENT`; with `expected`, only if it still is what `readCurrentTag` returned
 * (`ifMatch` its tag, or `ifNoneMatch: '*'` when there was none).
 *
 * @throws StorageError with code `PRECONDITION_FAILED` when `CURRENT` moved meanwhile.
 */
export async function writeCurrent(store: BlobStore, version: string, expected?: CurrentTag): Promise<void> {
  const condition =
    expected === undefined
      ? {}
      : expected.etag === undefined
        ? { ifNoneMatch: '*' as const }
        : { ifMatch: expected.etag };
  await store.put(CURRENT_KEY, jsonBytes({ version }), { contentType: 'application/json', ...condition });
}
