export type { IdxArray, IdxArray as IdxWritableArray, IdxBatch, IdxMatrix, IdxType } from './idx-read.ts';
export { readIdx, streamIdx } from './idx-read.ts';
export { writeIdx } from './idx-write.ts';
export type { InputFileErrorCode } from './input-file-error.ts';
export { InvalidInputFileError } from './input-file-error.ts';
export { hasGzipMagic } from './input-source.ts';
export type { JsonlAttributes, JsonlBatch, JsonlFile, JsonlRecord } from './jsonl-read.ts';
export { readJsonl, streamJsonl } from './jsonl-read.ts';
export { writeJsonl } from './jsonl-write.ts';
export type { Matrix, MatrixBatch, StreamOptions } from './matrix.ts';
export { DEFAULT_BATCH_ROWS } from './matrix.ts';
export type { NpyDtype } from './npy-header.ts';
export { NPY_DTYPES } from './npy-header.ts';
export type { NpyArray, NpyBatch, NpyMatrix } from './npy-read.ts';
export { readNpy, streamNpy } from './npy-read.ts';
export type { NpyWritableArray, WriteNpyOptions } from './npy-write.ts';
export { writeNpy } from './npy-write.ts';
export type { TexmexArrays, TexmexKind } from './texmex-read.ts';
export {
  readBvecs,
  readFvecs,
  readIvecs,
  readTexmex,
  streamBvecs,
  streamFvecs,
  streamIvecs,
  streamTexmex,
} from './texmex-read.ts';
export { writeBvecs, writeFvecs, writeIvecs, writeTexmex } from './texmex-write.ts';
export type { VectorBatch, VectorFile } from './vector-file.ts';
export { readVectors, streamVectors } from './vector-file.ts';
export type { VectorFormat } from './vector-format.ts';
export { detectVectorFormat, VECTOR_FORMATS } from './vector-format.ts';
