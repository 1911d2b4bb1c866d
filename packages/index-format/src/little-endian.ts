/**
 * Typed arrays to and from little-endian bytes. Index objects are always little-endian; on a
 * little-endian host (x86, ARM: every Lambda and every laptop in practice) both directions are a
 * plain byte copy or a zero-copy view, and a big-endian host takes the `DataView` path.
 */

export type NumericDType = 'u8' | 'u16' | 'u32' | 'i32' | 'f32' | 'f64';

export type NumericArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

type NumericArrayConstructor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

const CONSTRUCTORS: Readonly<Record<NumericDType, NumericArrayConstructor>> = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
};

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes per element of a numeric dtype. */
export function dtypeBytes(dtype: NumericDType): number {
  return CONSTRUCTORS[dtype].BYTES_PER_ELEMENT;
}

/** The dtype of a typed array, from its constructor. */
export function dtypeOf(data: NumericArray): NumericDType {
  if (data instanceof Uint8Array) return 'u8';
  if (data instanceof Uint16Array) return 'u16';
  if (data instanceof Uint32Array) return 'u32';
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Float32Array) return 'f32';
  return 'f64';
}

/** Writes `data` as little-endian bytes into `out` at `offset`. */
export function writeLittleEndian(data: NumericArray, out: Uint8Array, offset: number): void {
  if (HOST_IS_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, data.byteLength);
  const dtype = dtypeOf(data);
  for (let i = 0; i < data.length; i++) setElement(view, dtype, i, data[i]!);
}

/**
 * `count` elements of `dtype` read from little-endian `bytes` at `offset`. A zero-copy view on
 * `bytes.buffer` when the host is little-endian and the absolute offset is aligned to the element
 * size (index objects align every payload to 8 bytes, and store reads return fresh buffers, so
 * this is the usual case); otherwise a copy.
 */
export function readLittleEndian(
  bytes: Uint8Array,
  offset: number,
  dtype: NumericDType,
  count: number,
): NumericArray {
  const Constructor = CONSTRUCTORS[dtype];
  const size = Constructor.BYTES_PER_ELEMENT;
  const start = bytes.byteOffset + offset;
  if (HOST_IS_LITTLE_ENDIAN && start % size === 0)
    return new Constructor(bytes.buffer as ArrayBuffer, start, count);
  const out = new Constructor(count);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * size));
    return out;
  }
  const view = new DataView(bytes.buffer, start, count * size);
  for (let i = 0; i < count; i++) out[i] = getElement(view, dtype, i);
  return out;
}

function setElement(view: DataView, dtype: NumericDType, i: number, value: number): void {
  switch (dtype) {
    case 'u8':
      view.setUint8(i, value);
      return;
    case 'u16':
      view.setUint16(i * 2, value, true);
      return;
    case 'u32':
      view.setUint32(i * 4, value, true);
      return;
    case 'i32':
      view.setInt32(i * 4, value, true);
      return;
    case 'f32':
      view.setFloat32(i * 4, value, true);
      return;
    case 'f64':
      view.setFloat64(i * 8, value, true);
  }
}

function getElement(view: DataView, dtype: NumericDType, i: number): number {
  switch (dtype) {
    case 'u8':
      return view.getUint8(i);
    case 'u16':
      return view.getUint16(i * 2, true);
    case 'u32':
      return view.getUint32(i * 4, true);
    case 'i32':
      return view.getInt32(i * 4, true);
    case 'f32':
      return view.getFloat32(i * 4, true);
    case 'f64':
      return view.getFloat64(i * 8, true);
  }
}
