/**
 * The header of NumPy's `.npy` format (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic
 * `\x93NUMPY`, a major and minor version byte, a little-endian header length (uint16 in v1,
 * uint32 in v2/v3), then a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 128), }`, padded with spaces and `\n`.
 */
import { errorAtByte, plural } from './file-error.ts';

export type NpyDtype = '<f4' | '<f8' | '|u1' | '<i4';

export const NPY_DTYPES: readonly NpyDtype[] = ['<f4', '<f8', '|u1', '<i4'];

/** Spellings numpy and other writers use for the supported dtypes. */
const DTYPE_ALIASES: Readonly<Record<string, NpyDtype>> = {
  '<f4': '<f4',
  '<f8': '<f8',
  '|u1': '|u1',
  '<u1': '|u1',
  u1: '|u1',
  '|i4': '<i4',
  '<i4': '<i4',
};

export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

export interface NpyHeader {
  readonly version: 1 | 2 | 3;
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  /** Bytes before the data: magic, version, length field and the dict. */
  readonly headerBytes: number;
}

export interface NpyPreamble {
  readonly version: 1 | 2 | 3;
  /** Bytes of magic + version + length field: 10 in v1, 12 in v2/v3. */
  readonly prefixBytes: number;
  /** Length of the header dict that follows the prefix. */
  readonly dictBytes: number;
}

/** Longest preamble (v2/v3): how many bytes a streaming reader fetches first. */
export const NPY_MAX_PREAMBLE_BYTES = 12;

/** Validates magic and version and reads the dict length; `bytes` may hold just the preamble. */
export function parseNpyPreamble(file: string, bytes: Uint8Array): NpyPreamble {
  if (bytes.length === 0) throw errorAtByte(file, 0, 'file is empty; expected the .npy magic \\x93NUMPY');
  const magicLength = Math.min(bytes.length, NPY_MAGIC.length);
  for (let i = 0; i < magicLength; i++) {
    if (bytes[i] !== NPY_MAGIC[i]) {
      throw errorAtByte(
        file,
        i,
        `file does not start with the .npy magic \\x93NUMPY (byte ${i} is 0x${hex(bytes[i]!)})`,
      );
    }
  }
  if (bytes.length < 8) {
    throw errorAtByte(
      file,
      bytes.length,
      `file has only ${plural(bytes.length, 'byte')}; expected a .npy version`,
    );
  }
  const major = bytes[6]!;
  if (major !== 1 && major !== 2 && major !== 3) {
    throw errorAtByte(file, 6, `.npy format version ${major}.${bytes[7]}; expected 1.0, 2.0 or 3.0`);
  }
  const prefixBytes = major === 1 ? 10 : 12;
  if (bytes.length < prefixBytes) {
    throw errorAtByte(
      file,
      bytes.length,
      `file ends inside the .npy preamble; expected ${prefixBytes} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, prefixBytes);
  const dictBytes = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  return { version: major, prefixBytes, dictBytes };
}

/** Parses and validates the header at the start of `bytes` (which may hold just the header). */
export function parseNpyHeader(file: string, bytes: Uint8Array): NpyHeader {
  const { version, prefixBytes, dictBytes } = parseNpyPreamble(file, bytes);
  const headerBytes = prefixBytes + dictBytes;
  if (bytes.length < headerBytes) {
    throw errorAtByte(
      file,
      bytes.length,
      `header is truncated: the preamble declares a ${dictBytes}-byte header dict but the file ends after ${bytes.length} bytes`,
    );
  }
  const dict = new TextDecoder(version === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(prefixBytes, headerBytes),
  );
  return { version, ...parseDict(file, dict, prefixBytes), headerBytes };
}

function parseDict(file: string, dict: string, at: number): { dtype: NpyDtype; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(dict)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(\w+)/.exec(dict)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw errorAtByte(
      file,
      at,
      `header dict ${JSON.stringify(dict.trim())} lacks descr, fortran_order or shape; expected e.g. ` +
        `{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 128), }`,
    );
  }
  const dtype = DTYPE_ALIASES[descr];
  if (dtype === undefined) {
    throw errorAtByte(file, at, `dtype ${descr} is not supported; expected one of ${NPY_DTYPES.join(', ')}`);
  }
  if (fortran !== 'False') {
    throw errorAtByte(
      file,
      at,
      `fortran_order is ${fortran}; expected False (C order). Save with np.ascontiguousarray(a) first`,
    );
  }
  return { dtype, shape: parseShape(file, shapeText, at) };
}

function parseShape(file: string, text: string, at: number): number[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const shape = parts.map((part) => (/^\d+L?$/.test(part) ? Number.parseInt(part, 10) : Number.NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) {
    throw errorAtByte(file, at, `shape (${text}) is not a tuple of non-negative integers`);
  }
  if (shape.length !== 1 && shape.length !== 2) {
    throw errorAtByte(
      file,
      at,
      `shape (${text}) has ${shape.length} dimensions; expected 1 (labels) or 2 (n, dim)`,
    );
  }
  if (shape.length === 2 && shape[1] === 0) {
    throw errorAtByte(file, at, `shape (${text}) has rows of 0 values; expected a positive dimension`);
  }
  return shape;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
