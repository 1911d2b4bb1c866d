import { InvalidArgumentError } from '@squash/errors';
import type { IdxArray } from './idx-read.ts';
import { WRITE_CHUNK_BYTES, writeOutput } from './output-file.ts';

interface IdxWriteType {
  readonly code: number;
  readonly bytes: number;
  readonly set: (view: DataView, offset: number, value: number) => void;
}

function writeTypeOf(data: IdxArray): IdxWriteType {
  if (data instanceof Uint8Array) return { code: 0x08, bytes: 1, set: (v, o, x) => v.setUint8(o, x) };
  if (data instanceof Int8Array) return { code: 0x09, bytes: 1, set: (v, o, x) => v.setInt8(o, x) };
  if (data instanceof Int16Array) return { code: 0x0b, bytes: 2, set: (v, o, x) => v.setInt16(o, x) };
  if (data instanceof Int32Array) return { code: 0x0c, bytes: 4, set: (v, o, x) => v.setInt32(o, x) };
  if (data instanceof Float32Array) return { code: 0x0d, bytes: 4, set: (v, o, x) => v.setFloat32(o, x) };
  return { code: 0x0e, bytes: 8, set: (v, o, x) => v.setFloat64(o, x) };
}

/**
 * Writes an IDX file (big-endian, MNIST layout). The element type follows the array type
 * (Uint8Array -> 0x08 ubyte, ..., Float64Array -> 0x0e double); `dims` are e.g. `[n, 28, 28]`
 * for images or `[n]` for labels and must multiply to `data.length`. `.gz` names are compressed.
 */
export async function writeIdx(file: string, data: IdxArray, dims: readonly number[]): Promise<void> {
  const type = writeTypeOf(data);
  if (
    dims.length < 1 ||
    dims.length > 255 ||
    dims.some((d) => !Number.isSafeInteger(d) || d < 0 || d > 0xffffffff)
  ) {
    throw new InvalidArgumentError('dims', `dims [${dims.join(', ')}] must be 1 to 255 uint32 sizes`);
  }
  const total = dims.reduce((product, d) => product * d, 1);
  if (total !== data.length) {
    throw new InvalidArgumentError(
      'dims',
      `dims [${dims.join(', ')}] need ${total} values; data has ${data.length}`,
    );
  }
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = type.code;
  header[3] = dims.length;
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  await writeOutput(file, chunks(header, data, type));
}

function* chunks(header: Uint8Array, data: IdxArray, type: IdxWriteType): Generator<Uint8Array> {
  yield header;
  const step = Math.floor(WRITE_CHUNK_BYTES / type.bytes);
  for (let start = 0; start < data.length; start += step) {
    const count = Math.min(step, data.length - start);
    const chunk = new Uint8Array(count * type.bytes);
    const view = new DataView(chunk.buffer);
    for (let i = 0; i < count; i++) type.set(view, i * type.bytes, data[start + i]!);
    yield chunk;
  }
}
