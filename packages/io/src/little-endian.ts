/** Typed arrays whose elements are stored little-endian in the formats read here. */
export type LittleEndianArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Uint8Array
  | Int8Array;

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Copies `count` little-endian elements from raw bytes into `target[targetIndex...]` with one
 * memcpy. Typed arrays use host byte order, so this relies on a little-endian host (x86-64 and
 * arm64, i.e. every Lambda and dev machine squash targets); a big-endian host fails loudly rather
 * than reading byte-swapped vectors.
 */
export function copyLittleEndian(
  source: Uint8Array,
  sourceOffset: number,
  target: LittleEndianArray,
  targetIndex: number,
  count: number,
): void {
  if (!HOST_IS_LITTLE_ENDIAN) throw new Error('squash io needs a little-endian host');
  const bytes = count * target.BYTES_PER_ELEMENT;
  const view = new Uint8Array(
    target.buffer,
    target.byteOffset + targetIndex * target.BYTES_PER_ELEMENT,
    bytes,
  );
  view.set(source.subarray(sourceOffset, sourceOffset + bytes));
}

/** The little-endian bytes of a typed array, as a view (no copy). */
export function littleEndianBytes(source: LittleEndianArray): Uint8Array {
  if (!HOST_IS_LITTLE_ENDIAN) throw new Error('squash io needs a little-endian host');
  return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}
