import { fileError } from './file-error.ts';
import { formatName } from './input-source.ts';

/** The vector file formats squash reads and writes. */
export type VectorFormat = 'fvecs' | 'ivecs' | 'bvecs' | 'idx' | 'npy' | 'jsonl';

export const VECTOR_FORMATS: readonly VectorFormat[] = ['fvecs', 'ivecs', 'bvecs', 'idx', 'npy', 'jsonl'];

/**
 * The format a path names, by extension after an optional `.gz`: `.fvecs`, `.ivecs`, `.bvecs`,
 * `.npy`, `.jsonl` / `.ndjson`, and IDX as `.idx` or the MNIST names (`train-images-idx3-ubyte`,
 * `t10k-labels.idx1-ubyte`).
 */
export function detectVectorFormat(file: string): VectorFormat {
  const name = formatName(file);
  for (const ext of ['fvecs', 'ivecs', 'bvecs', 'npy', 'jsonl'] as const) {
    if (name.endsWith(`.${ext}`)) return ext;
  }
  if (name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.idx') || /[-.]idx\d+(-ubyte)?$/.test(name)) return 'idx';
  throw fileError(
    file,
    'unrecognised file extension; expected .fvecs, .ivecs, .bvecs, .npy, .jsonl, .ndjson or IDX ' +
      '(.idx, *-idx3-ubyte), optionally followed by .gz',
  );
}
