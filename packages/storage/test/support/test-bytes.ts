import { SeededRandom } from '@squash/core';

/** `sizeBytes` pseudo-random bytes, reproducible from `seed`. */
export function seededBytes(sizeBytes: number, seed: number): Uint8Array {
  const random = new SeededRandom(seed);
  const bytes = new Uint8Array(sizeBytes);
  const words = new Uint32Array(bytes.buffer, 0, sizeBytes >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = random.nextUint32();
  for (let i = words.length * 4; i < sizeBytes; i++) bytes[i] = random.nextUint32() & 0xff;
  return bytes;
}

/** UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Concatenation of `parts`. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Yields `parts` one by one, as a stream source would. */
export async function* chunksOf(parts: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * Index of the first byte where `a` and `b` differ (or the shorter length when one is a prefix of
 * the other); -1 when equal. Faster and far more readable on failure than `toEqual` on megabytes.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength);
  if (
    a.byteLength === b.byteLength &&
    Buffer.from(a.buffer, a.byteOffset, n).equals(Buffer.from(b.buffer, b.byteOffset, n))
  ) {
    return -1;
  }
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}
