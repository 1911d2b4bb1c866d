import { codeLayout, type OsqQuantizer } from '@squash/core';
import { encodeBlocks, numericBlock } from './binary-array.ts';
import { BlockReader } from './block-reader.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import { fromJsonDouble, type QuantizerScalars, toJsonDouble } from './manifest.ts';

/**
 * A partition's `OsqQuantizer`: the scalars go inline in the manifest, the arrays into the
 * quantizer object, in this block order (d = reduced dimension, C = cells over all dimensions):
 * `QMEA` f32 [d] mean, `QROT` f32 [d, d] rotation, `QVAR` f32 [d] variances, `QBIT` u8 [d] bits
 * per dimension, `QCOF` u32 [d + 1] cell offsets, `QBND` f32 [C + d] boundaries, `QREP` f32 [C]
 * representatives. The code layout's bit offsets are recomputed with `codeLayout` on load.
 */
export function encodeQuantizer(quantizer: OsqQuantizer): { bytes: Uint8Array; scalars: QuantizerScalars } {
  const d = quantizer.dim;
  const cellCount = quantizer.representatives.length;
  const bytes = encodeBlocks([
    numericBlock('QMEA', quantizer.mean),
    numericBlock('QROT', quantizer.rotation, [d, d]),
    numericBlock('QVAR', quantizer.variances),
    numericBlock('QBIT', quantizer.layout.bitsPerDim),
    numericBlock('QCOF', quantizer.cellOffsets),
    numericBlock('QBND', quantizer.boundaries),
    numericBlock('QREP', quantizer.representatives),
  ]);
  return {
    bytes,
    scalars: {
      metric: quantizer.metric,
      dim: d,
      totalBits: quantizer.layout.totalBits,
      bytesPerVector: quantizer.layout.bytesPerVector,
      cellCount,
      binaryDims: quantizer.binaryDims,
      binaryWordsPerVector: quantizer.binaryWordsPerVector,
      meanSquaredError: toJsonDouble(quantizer.meanSquaredError),
    },
  };
}

/** Restores the quantizer from its object and manifest scalars. */
export function decodeQuantizer(bytes: Uint8Array, key: string, scalars: QuantizerScalars): OsqQuantizer {
  const d = scalars.dim;
  const cells = scalars.cellCount;
  const reader = new BlockReader(bytes, key);
  const mean = reader.numeric<Float32Array>('QMEA', 'f32', [d]);
  const rotation = reader.numeric<Float32Array>('QROT', 'f32', [d, d]);
  const variances = reader.numeric<Float32Array>('QVAR', 'f32', [d]);
  const bitsPerDim = reader.numeric<Uint8Array>('QBIT', 'u8', [d]);
  const cellOffsets = reader.numeric<Uint32Array>('QCOF', 'u32', [d + 1]);
  const boundaries = reader.numeric<Float32Array>('QBND', 'f32', [cells + d]);
  const representatives = reader.numeric<Float32Array>('QREP', 'f32', [cells]);
  reader.end();
  let layout: OsqQuantizer['layout'];
  try {
    layout = codeLayout(bitsPerDim);
  } catch (error) {
    throw new IndexCorruptError(key, `object ${key}: invalid bits per dimension`, { cause: error });
  }
  if (layout.totalBits !== scalars.totalBits || layout.bytesPerVector !== scalars.bytesPerVector) {
    throw new IndexCorruptError(
      key,
      `object ${key}: bits per dimension sum to ${layout.totalBits}; the manifest says ${scalars.totalBits}`,
    );
  }
  if (cellOffsets[d] !== cells) {
    throw new IndexCorruptError(
      key,
      `object ${key}: cell offsets end at ${cellOffsets[d]}; expected ${cells}`,
    );
  }
  return {
    metric: scalars.metric,
    dim: d,
    mean,
    rotation,
    variances,
    layout,
    cellOffsets,
    boundaries,
    representatives,
    binaryDims: scalars.binaryDims,
    binaryWordsPerVector: scalars.binaryWordsPerVector,
    meanSquaredError: fromJsonDouble(scalars.meanSquaredError),
  };
}
