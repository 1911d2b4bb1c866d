import { assertBlobKey, assertBlobPrefix, compareBlobKeys } from './blob-key.ts';
import type {
  BlobHead,
  BlobListing,
  BlobStore,
  PutOptions,
  PutResult,
  PutStreamOptions,
} from './blob-store.ts';
import { BlobNotFoundError, PreconditionFailedError } from './storage-error.ts';
import {
  assertByteRange,
  assertBytes,
  assertPutConditions,
  clampRange,
  resolvePartSizeBytes,
} from './validate-arguments.ts';

/**
 * `BlobStore` held in a `Map` inside the process: for unit tests and for the local runtime when
 * nothing should touch disk. Bytes are copied on the way in and out, so neither the writer nor a
 * reader can change a stored object by mutating its buffer (the property S3 gives for free).
 * Memory cost is the sum of object sizes; nothing is evicted.
 */
export class MemoryBlobStore implements BlobStore {
  readonly #objects = new Map<string, Uint8Array>();
  /** Tag of each stored object: a store-wide write counter, so every overwrite changes it. */
  readonly #tags = new Map<string, string>();
  #writes = 0;

  async get(key: string): Promise<Uint8Array | undefined> {
    assertBlobKey(key);
    const bytes = this.#objects.get(key);
    return bytes === undefined ? undefined : bytes.slice();
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    assertBlobKey(key);
    assertByteRange(offset, length);
    const bytes = this.#objects.get(key);
    if (bytes === undefined) {
      throw new BlobNotFoundError('getRange', key, `no blob with key "${key}" in the memory store`);
    }
    const { start, end } = clampRange(bytes.byteLength, offset, length);
    return bytes.slice(start, end);
  }

  async put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    assertBlobKey(key);
    assertBytes(bytes);
    assertPutConditions(options);
    // Check and set run without an await in between: atomic in a single-threaded process.
    const current = this.#tags.get(key);
    if (options?.ifNoneMatch === '*' && current !== undefined) {
      throw new PreconditionFailedError(key, 'ifNoneMatch', `"${key}" exists (ifNoneMatch "*")`);
    }
    if (options?.ifMatch !== undefined && current !== options.ifMatch) {
      throw new PreconditionFailedError(
        key,
        'ifMatch',
        `"${key}" has tag ${current === undefined ? 'none (absent)' : `"${current}"`}; ifMatch "${options.ifMatch}"`,
      );
    }
    return { etag: this.#store(key, bytes.slice()) };
  }

  #store(key: string, bytes: Uint8Array): string {
    const etag = `m${++this.#writes}`;
    this.#objects.set(key, bytes);
    this.#tags.set(key, etag);
    return etag;
  }

  async putStream(key: string, chunks: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<void> {
    assertBlobKey(key);
    resolvePartSizeBytes(options);
    // Collect first and publish once, so a source that throws part-way leaves nothing behind.
    const parts: Uint8Array[] = [];
    let sizeBytes = 0;
    for await (const chunk of chunks) {
      assertBytes(chunk);
      parts.push(chunk.slice());
      sizeBytes += chunk.byteLength;
    }
    const bytes = new Uint8Array(sizeBytes);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    this.#store(key, bytes);
  }

  async head(key: string): Promise<BlobHead | undefined> {
    assertBlobKey(key);
    const bytes = this.#objects.get(key);
    return bytes === undefined ? undefined : { sizeBytes: bytes.byteLength, etag: this.#tags.get(key)! };
  }

  async *list(prefix: string): AsyncIterable<BlobListing> {
    assertBlobPrefix(prefix);
    for (const listing of this.#snapshot(prefix)) yield listing;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    this.#objects.delete(key);
    this.#tags.delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertBlobPrefix(prefix);
    const listings = this.#snapshot(prefix);
    for (const { key } of listings) {
      this.#objects.delete(key);
      this.#tags.delete(key);
    }
    return listings.length;
  }

  #snapshot(prefix: string): BlobListing[] {
    const listings: BlobListing[] = [];
    for (const [key, bytes] of this.#objects) {
      if (key.startsWith(prefix)) listings.push({ key, sizeBytes: bytes.byteLength });
    }
    return listings.sort((a, b) => compareBlobKeys(a.key, b.key));
  }
}
