export {
  andInPlace,
  andNotInPlace,
  bitmapWordCount,
  clearBit,
  createBitmap,
  getBit,
  notInPlace,
  orInPlace,
  popcount,
  setBit,
  setBitIndices,
} from './bitmap.ts';
