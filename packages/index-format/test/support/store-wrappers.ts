import type {
  BlobHead,
  BlobListing,
  BlobStore,
  PutOptions,
  PutResult,
  PutStreamOptions,
} from '@squash/storage';

/** Forwards every call to `inner`; subclasses override what they observe or break. */
export class ForwardingStore implements BlobStore {
  constructor(protected readonly inner: BlobStore) {}
  get(key: string): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }
  getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    return this.inner.getRange(key, offset, length);
  }
  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    return this.inner.put(key, bytes, options);
  }
  putStream(key: string, chunks: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<void> {
    return this.inner.putStream(key, chunks, options);
  }
  head(key: string): Promise<BlobHead | undefined> {
    return this.inner.head(key);
  }
  list(prefix: string): AsyncIterable<BlobListing> {
    return this.inner.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  deletePrefix(prefix: string): Promise<number> {
    return this.inner.deletePrefix(prefix);
  }
}

/**
 * Simulates a process that dies after `allowedPuts` successful writes: later puts throw, and so
 * does every delete after that (a dead process cleans nothing up).
 */
export class CrashingStore extends ForwardingStore {
  puts = 0;
  constructor(
    inner: BlobStore,
    private readonly allowedPuts: number,
  ) {
    super(inner);
  }
  override async put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    if (this.puts >= this.allowedPuts) throw new Error(`simulated crash before writing ${key}`);
    this.puts++;
    return this.inner.put(key, bytes, options);
  }
  override async delete(key: string): Promise<void> {
    if (this.puts >= this.allowedPuts) throw new Error(`simulated crash before deleting ${key}`);
    return this.inner.delete(key);
  }
  override async deletePrefix(prefix: string): Promise<number> {
    if (this.puts >= this.allowedPuts) throw new Error(`simulated crash before deleting ${prefix}`);
    return this.inner.deletePrefix(prefix);
  }
}

/** Records every ranged read and counts whole-object reads. */
export class RecordingStore extends ForwardingStore {
  readonly ranges: Array<{ key: string; offset: number; length: number }> = [];
  readonly gets: string[] = [];
  readonly putKeys: string[] = [];
  override get(key: string): Promise<Uint8Array | undefined> {
    this.gets.push(key);
    return this.inner.get(key);
  }
  override getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    this.ranges.push({ key, offset, length });
    return this.inner.getRange(key, offset, length);
  }
  override put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    this.putKeys.push(key);
    return this.inner.put(key, bytes, options);
  }
}
