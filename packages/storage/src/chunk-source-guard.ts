import { assertBytes } from './validate-arguments.ts';

/**
 * Wraps a caller's chunk source before it is handed to an uploader. It validates and copies each
 * chunk (a source may reuse its buffer while the uploader still holds the previous chunk) and
 * records the source's own failure, so the caller gets back its own error rather than whatever
 * the uploader made of the aborted stream.
 */
export class ChunkSourceGuard {
  /** Set when the source threw; `error` is what it threw. */
  failure: { readonly error: unknown } | undefined;
  readonly #source: AsyncIterable<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source;
  }

  /** The source's non-empty chunks, copied. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of this.#source) {
        assertBytes(chunk);
        if (chunk.byteLength > 0) yield chunk.slice();
      }
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }
}
