import type { BlobStore } from '@squash/storage';

/** Options of `copyIndex`. */
export interface CopyIndexOptions {
  /** Store holding one index: `CURRENT`, `versions/<v>/manifest.json` and the data files. */
  readonly source: BlobStore;
  /** Store (usually S3 at `<prefix>/<name>`) the index is copied into, under the same keys. */
  readonly target: BlobStore;
  /** Objects copied at once. @default 4 */
  readonly concurrency?: number;
  /**
   * Objects larger than this are streamed in chunks of this size (a multipart upload on S3), so
   * memory stays at about `concurrency x 4 x chunkBytes` whatever the index size. At least 5 MiB
   * (S3's minimum part size).
   * @default 8 MiB
   */
  readonly chunkBytes?: number;
  /** Called after each object is copied and verified. */
  readonly onCopied?: (event: CopiedObject) => void;
}

export interface CopiedObject {
  readonly key: string;
  readonly sizeBytes: number;
  /** 1-based position in copy order. */
  readonly position: number;
  readonly total: number;
}

export interface CopyIndexResult {
  /** Keys in the order their copies completed phase by phase (data, manifests, `CURRENT`). */
  readonly keys: readonly string[];
  readonly bytes: number;
}

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Copies every object of an index from one store to another so that readers of the target never
 * see a half-published version: first the data files (in parallel), then the version manifests,
 * then `CURRENT` last. A reader follows `CURRENT` to a manifest and the manifest to data files, so
 * by the time `CURRENT` names a version everything it points at is in place. Each copy is checked
 * by size with `head` before the next phase starts.
 *
 * Re-running after a failure is safe: objects are overwritten with identical bytes, and `CURRENT`
 * keeps pointing at the previous version until the last step.
 *
 * @throws Error naming the key when the source lists an object it cannot read or a copy's size differs.
 */
export async function copyIndex(options: CopyIndexOptions): Promise<CopyIndexResult> {
  const concurrency = options.concurrency ?? 4;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency is ${concurrency}; expected a positive integer`);
  }
  const listed: Array<{ key: string; sizeBytes: number }> = [];
  for await (const entry of options.source.list('')) listed.push(entry);
  if (!listed.some((e) => e.key === 'CURRENT')) {
    throw new Error('the source has no CURRENT object: it is not a squash index directory');
  }
  const phases = copyPhases(listed);
  const total = listed.length;
  const done: string[] = [];
  let bytes = 0;
  for (const phase of phases) {
    await runPool(phase, concurrency, async (entry) => {
      await copyObject(options.source, options.target, entry.key, entry.sizeBytes, chunkBytes);
      done.push(entry.key);
      bytes += entry.sizeBytes;
      options.onCopied?.({ key: entry.key, sizeBytes: entry.sizeBytes, position: done.length, total });
    });
  }
  return { keys: done, bytes };
}

/** Groups listed objects into the three publication phases: data, manifests, `CURRENT`. */
export function copyPhases<T extends { key: string }>(entries: readonly T[]): T[][] {
  const isManifest = (key: string) => /^versions\/[^/]+\/manifest\.json$/.test(key);
  return [
    entries.filter((e) => e.key !== 'CURRENT' && !isManifest(e.key)),
    entries.filter((e) => isManifest(e.key)),
    entries.filter((e) => e.key === 'CURRENT'),
  ];
}

async function copyObject(
  source: BlobStore,
  target: BlobStore,
  key: string,
  sizeBytes: number,
  chunkBytes: number,
): Promise<void> {
  const contentType = contentTypeOf(key);
  if (sizeBytes <= chunkBytes) {
    const bytes = await source.get(key);
    if (bytes === undefined) throw new Error(`${key} was listed but disappeared from the source`);
    await target.put(key, bytes, { contentType });
  } else {
    await target.putStream(key, readChunks(source, key, sizeBytes, chunkBytes), {
      contentType,
      partSizeBytes: chunkBytes,
    });
  }
  const head = await target.head(key);
  if (head?.sizeBytes !== sizeBytes) {
    throw new Error(`copy of ${key} has ${head?.sizeBytes ?? 'no'} bytes; the source has ${sizeBytes}`);
  }
}

async function* readChunks(source: BlobStore, key: string, sizeBytes: number, chunkBytes: number) {
  for (let offset = 0; offset < sizeBytes; offset += chunkBytes) {
    const chunk = await source.getRange(key, offset, Math.min(chunkBytes, sizeBytes - offset));
    if (chunk.byteLength === 0)
      throw new Error(`${key} ended at byte ${offset}; it was listed with ${sizeBytes}`);
    yield chunk;
  }
}

function contentTypeOf(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key === 'CURRENT') return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
