import { type ArrayBlock, decodeBlocks } from './binary-array.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import type { NumericArray, NumericDType } from './little-endian.ts';

/**
 * Reads the blocks of one object in order, checking each against what the manifest says it must
 * be (tag, dtype, shape). Any mismatch is an `IndexCorruptError` naming the object's key: the
 * checksum matched, so the object was written like this, but it is not what this manifest needs.
 */
export class BlockReader {
  readonly #blocks: ArrayBlock[];
  #next = 0;

  constructor(
    bytes: Uint8Array,
    readonly key: string,
  ) {
    this.#blocks = decodeBlocks(bytes, key);
  }

  /** The next block, which must have this tag, one of `dtypes` and exactly this shape. */
  numeric<T extends NumericArray = NumericArray>(
    tag: string,
    dtypes: NumericDType | readonly NumericDType[],
    shape: readonly number[],
  ): T {
    const block = this.#take(tag, shape);
    const allowed = typeof dtypes === 'string' ? [dtypes] : dtypes;
    if (block.dtype === 'utf8' || !allowed.includes(block.dtype)) {
      throw this.#corrupt(`block ${tag} has dtype ${block.dtype}; expected ${allowed.join(' or ')}`);
    }
    return block.data as T;
  }

  /** The next block, which must be a `utf8` block of `count` strings with this tag. */
  strings(tag: string, count: number): readonly string[] {
    const block = this.#take(tag, [count]);
    if (block.dtype !== 'utf8') throw this.#corrupt(`block ${tag} has dtype ${block.dtype}; expected utf8`);
    return block.data;
  }

  /** Throws unless every block has been read. */
  end(): void {
    if (this.#next !== this.#blocks.length) {
      throw this.#corrupt(`holds ${this.#blocks.length} blocks; the manifest accounts for ${this.#next}`);
    }
  }

  #take(tag: string, shape: readonly number[]): ArrayBlock {
    const block = this.#blocks[this.#next];
    if (block === undefined) throw this.#corrupt(`ends after ${this.#next} blocks; expected a ${tag} block`);
    this.#next++;
    if (block.tag !== tag) throw this.#corrupt(`block ${this.#next - 1} is ${block.tag}; expected ${tag}`);
    if (block.shape.length !== shape.length || block.shape.some((s, i) => s !== shape[i])) {
      throw this.#corrupt(
        `block ${tag} has shape [${block.shape.join(', ')}]; expected [${shape.join(', ')}]`,
      );
    }
    return block;
  }

  #corrupt(message: string): IndexCorruptError {
    return new IndexCorruptError(this.key, `object ${this.key}: ${message}`);
  }
}
