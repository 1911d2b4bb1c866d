import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import {
  type FileHandle,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '@squash/errors';
import {
  assertBlobKey,
  assertBlobPrefix,
  compareBlobKeys,
  isBlobKey,
  RESERVED_SEGMENT_PREFIX,
} from './blob-key.ts';
import type {
  BlobHead,
  BlobListing,
  BlobStore,
  PutOptions,
  PutResult,
  PutStreamOptions,
} from './blob-store.ts';
import {
  BlobNotFoundError,
  describeCause,
  PreconditionFailedError,
  StorageError,
  type StorageOperation,
} from './storage-error.ts';
import {
  assertByteRange,
  assertBytes,
  assertPutConditions,
  clampRange,
  resolvePartSizeBytes,
} from './validate-arguments.ts';

/** Options of `FilesystemBlobStore`. */
export interface FilesystemBlobStoreOptions {
  /** Directory that holds the objects; created on the first write. Relative paths resolve against the cwd. */
  readonly rootDir: string;
}

/** errno codes meaning "there is no regular file at this path". */
const ABSENT_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** How long a compare-and-swap `put` waits for another writer's lock on the same key. */
const LOCK_WAIT_MS = 10_000;
/** A key lock older than this was left by a crashed process. */
const STALE_LOCK_MS = 30_000;

/** A file's tag: inode, size and modification time in ns; every rename-into-place changes it. */
function fileTag(info: { ino: bigint; size: bigint; mtimeNs: bigint }): string {
  return `${info.ino.toString(36)}-${info.size.toString(36)}-${info.mtimeNs.toString(36)}`;
}

/** Attempts at creating a temp file when a concurrent `delete` removes its empty directory. */
const MAX_TEMP_ATTEMPTS = 3;

/**
 * `BlobStore` over a local directory: key `a/b/c` is the file `<rootDir>/a/b/c`.
 *
 * Writes are atomic for readers: bytes go to a temp file in the target directory (named with the
 * reserved `.squash-tmp-` prefix, which keys cannot use) and are renamed over the target, so a
 * reader sees the old file or the new one, never a partial one. Temp files left by a crashed
 * process are skipped by `list`. There is no fsync: a write survives a process crash, not
 * necessarily a power cut, which is the right trade for a development and test store.
 *
 * `delete` removes directories it leaves empty, so `a/b` can be deleted and `a` written later.
 * A key that is a directory prefix of another stored key (`a` next to `a/b`) cannot be written
 * and fails with `STORAGE_ERROR`, as does a segment longer than the file system allows (255 bytes
 * on ext4 and APFS, although keys may be 1024 bytes in total).
 */
export class FilesystemBlobStore implements BlobStore {
  /** Absolute root directory. */
  readonly rootDir: string;

  constructor(options: FilesystemBlobStoreOptions) {
    if (typeof options?.rootDir !== 'string' || options.rootDir === '') {
      throw new InvalidArgumentError('rootDir', 'FilesystemBlobStore needs a non-empty rootDir');
    }
    this.rootDir = resolve(options.rootDir);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertBlobKey(key);
    try {
      const buffer = await readFile(this.#pathOf(key));
      // A plain Uint8Array view: Buffer#slice shares memory, which would surprise callers.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw this.#wrap('get', key, error);
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    assertBlobKey(key);
    assertByteRange(offset, length);
    let handle: FileHandle;
    try {
      handle = await open(this.#pathOf(key), 'r');
    } catch (error) {
      if (isAbsent(error)) throw this.#notFound(key, error);
      throw this.#wrap('getRange', key, error);
    }
    try {
      const info = await handle.stat();
      // Opening a directory read-only succeeds on Linux; it is still not an object.
      if (!info.isFile()) throw this.#notFound(key);
      const { start, end } = clampRange(info.size, offset, length);
      return await readFully(handle, start, end - start);
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw error;
      throw this.#wrap('getRange', key, error);
    } finally {
      await handle.close();
    }
  }

  async put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    assertBlobKey(key);
    assertBytes(bytes);
    assertPutConditions(options);
    const write = async (handle: FileHandle): Promise<void> => {
      await this.#io('put', key, handle.writeFile(bytes));
    };
    if (options?.ifNoneMatch === '*') return { etag: await this.#createExclusively(key, write) };
    const ifMatch = options?.ifMatch;
    if (ifMatch === undefined) return { etag: await this.#writeAtomically('put', key, write) };
    return this.#withKeyLock(key, async () => {
      const current = await this.#tagOf(key);
      if (current !== ifMatch) {
        throw new PreconditionFailedError(
          key,
          'ifMatch',
          `"${key}" has tag ${current === undefined ? 'none (absent)' : `"${current}"`}; ifMatch "${ifMatch}"`,
        );
      }
      return { etag: await this.#writeAtomically('put', key, write) };
    });
  }

  async putStream(key: string, chunks: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<void> {
    assertBlobKey(key);
    resolvePartSizeBytes(options);
    await this.#writeAtomically('putStream', key, async (handle) => {
      // Errors thrown by `chunks` pass through unchanged; only file-system errors are wrapped.
      for await (const chunk of chunks) {
        assertBytes(chunk);
        await this.#io('putStream', key, writeFully(handle, chunk));
      }
    });
  }

  async head(key: string): Promise<BlobHead | undefined> {
    assertBlobKey(key);
    try {
      const info = await stat(this.#pathOf(key), { bigint: true });
      return info.isFile() ? { sizeBytes: Number(info.size), etag: fileTag(info) } : undefined;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw this.#wrap('head', key, error);
    }
  }

  async *list(prefix: string): AsyncIterable<BlobListing> {
    assertBlobPrefix(prefix);
    const listings = await this.#io('list', prefix, this.#collect(prefix));
    yield* listings;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    const path = this.#pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (!(await this.#isAbsentAfterRmError(path, error))) throw this.#wrap('delete', key, error);
      return;
    }
    await this.#removeEmptyParents(path);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertBlobPrefix(prefix);
    const listings = await this.#io('deletePrefix', prefix, this.#collect(prefix));
    for (const { key } of listings) await this.delete(key);
    return listings.length;
  }

  #pathOf(key: string): string {
    // Safe: validated keys have no '..', '.', empty segments or backslashes.
    return join(this.rootDir, ...key.split('/'));
  }

  /**
   * Writes a temp file with `write`, then moves it to the key's path with `commit` (a rename over
   * it by default); cleans up on failure. Returns the new file's tag, read from the temp file
   * before the move (a rename keeps inode and times), so a concurrent overwrite cannot be
   * mistaken for this write.
   */
  async #writeAtomically(
    operation: StorageOperation,
    key: string,
    write: (handle: FileHandle) => Promise<void>,
    commit: (tempPath: string, target: string) => Promise<void> = (tempPath, target) =>
      this.#io(operation, key, rename(tempPath, target)),
  ): Promise<string> {
    const target = this.#pathOf(key);
    const { handle, tempPath } = await this.#openTemp(operation, key, dirname(target));
    let closed = false;
    try {
      await write(handle);
      const tag = fileTag(await this.#io(operation, key, handle.stat({ bigint: true })));
      closed = true;
      await this.#io(operation, key, handle.close());
      await commit(tempPath, target);
      return tag;
    } catch (error) {
      if (!closed) await handle.close().catch(() => undefined);
      await rm(tempPath, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  /**
   * `ifNoneMatch: '*'`: a hard link from the finished temp file to the key's path, which the file
   * system refuses (EEXIST) when any file is there: an atomic create-only across processes.
   */
  #createExclusively(key: string, write: (handle: FileHandle) => Promise<void>): Promise<string> {
    return this.#writeAtomically('put', key, write, async (tempPath, target) => {
      try {
        await link(tempPath, target);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw this.#wrap('put', key, error);
        const existing = await lstat(target).catch(() => undefined);
        if (existing?.isDirectory() === true) throw this.#wrap('put', key, error);
        throw new PreconditionFailedError(key, 'ifNoneMatch', `"${key}" exists (ifNoneMatch "*")`);
      } finally {
        await rm(tempPath, { force: true }).catch(() => undefined);
      }
    });
  }

  /** The key's current tag, or undefined when no file is there. */
  async #tagOf(key: string): Promise<string | undefined> {
    return (await this.head(key))?.etag;
  }

  /**
   * Runs `body` holding the key's lock file (created with O_EXCL next to the key), so
   * compare-and-swap writers on one machine take turns. A lock older than `STALE_LOCK_MS` is
   * left by a crashed process and is broken.
   */
  async #withKeyLock<T>(key: string, body: () => Promise<T>): Promise<T> {
    const target = this.#pathOf(key);
    const lockPath = join(dirname(target), `${RESERVED_SEGMENT_PREFIX}lock-${basename(target)}`);
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await mkdir(dirname(target), { recursive: true });
        await (await open(lockPath, 'wx')).close();
        break;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw this.#wrap('put', key, error);
        const age = Date.now() - ((await stat(lockPath).catch(() => undefined))?.mtimeMs ?? Date.now());
        if (age > STALE_LOCK_MS) await rm(lockPath, { force: true });
        else if (Date.now() > deadline) {
          throw new StorageError(
            'put',
            key,
            `"${key}" stayed locked by another writer for ${LOCK_WAIT_MS} ms`,
          );
        } else await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
      }
    }
    try {
      return await body();
    } finally {
      await rm(lockPath, { force: true });
    }
  }

  async #openTemp(
    operation: StorageOperation,
    key: string,
    dir: string,
  ): Promise<{ handle: FileHandle; tempPath: string }> {
    for (let attempt = 1; ; attempt++) {
      const tempPath = join(dir, `${RESERVED_SEGMENT_PREFIX}${randomUUID()}`);
      try {
        await mkdir(dir, { recursive: true });
        return { handle: await open(tempPath, 'wx'), tempPath };
      } catch (error) {
        // ENOENT: a concurrent delete pruned the directory between mkdir and open; try again.
        if (errorCode(error) === 'ENOENT' && attempt < MAX_TEMP_ATTEMPTS) continue;
        throw this.#wrap(operation, key, error);
      }
    }
  }

  async #collect(prefix: string): Promise<BlobListing[]> {
    // Start the walk at the deepest directory the prefix names completely.
    const baseKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const listings: BlobListing[] = [];
    await this.#walk(baseKey, prefix, listings);
    return listings.sort((a, b) => compareBlobKeys(a.key, b.key));
  }

  async #walk(dirKey: string, prefix: string, out: BlobListing[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dirKey === '' ? this.rootDir : this.#pathOf(dirKey.slice(0, -1)), {
        withFileTypes: true,
      });
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      throw error;
    }
    await Promise.all(
      entries.map(async (entry) => {
        const key = dirKey + entry.name;
        if (entry.name.startsWith(RESERVED_SEGMENT_PREFIX) || !isBlobKey(key)) return;
        if (entry.isDirectory()) {
          const childDir = `${key}/`;
          if (childDir.startsWith(prefix) || prefix.startsWith(childDir))
            await this.#walk(childDir, prefix, out);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          const info = await stat(join(this.rootDir, ...key.split('/'))).catch(() => undefined);
          // A file deleted between readdir and stat is simply not listed.
          if (info !== undefined) out.push({ key, sizeBytes: info.size });
        }
      }),
    );
  }

  async #isAbsentAfterRmError(path: string, error: unknown): Promise<boolean> {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return true;
    // unlink on a directory (EISDIR on Linux, EPERM on macOS): not an object, so already absent.
    if (code === 'EISDIR' || code === 'EPERM') {
      const info = await lstat(path).catch(() => undefined);
      return info?.isDirectory() === true;
    }
    return false;
  }

  async #removeEmptyParents(path: string): Promise<void> {
    for (let dir = dirname(path); dir.startsWith(this.rootDir) && dir !== this.rootDir; dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
    }
  }

  async #io<T>(operation: StorageOperation, key: string, promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      throw this.#wrap(operation, key, error);
    }
  }

  #wrap(operation: StorageOperation, key: string, cause: unknown): StorageError {
    if (cause instanceof StorageError) return cause;
    const hint = ['ENOTDIR', 'EISDIR', 'EEXIST'].includes(errorCode(cause) ?? '')
      ? ' (a key cannot also be a directory prefix of another key on the filesystem store)'
      : '';
    return new StorageError(
      operation,
      key,
      `${operation} "${key}" failed in ${this.rootDir}: ${describeCause(cause)}${hint}`,
      { cause },
    );
  }

  #notFound(key: string, cause?: unknown): BlobNotFoundError {
    return new BlobNotFoundError('getRange', key, `no blob with key "${key}" in ${this.rootDir}`, { cause });
  }
}

async function readFully(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) return bytes.subarray(0, filled); // truncated concurrently: clamp again
    filled += bytesRead;
  }
  return bytes;
}

async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let written = 0;
  while (written < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.byteLength - written);
    written += bytesWritten;
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isAbsent(error: unknown): boolean {
  return ABSENT_CODES.has(errorCode(error) ?? '');
}
