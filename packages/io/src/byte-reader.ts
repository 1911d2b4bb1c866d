/**
 * Pull-style reader over a chunk stream: `read(n)` returns exactly `n` bytes, or fewer only at
 * the end of the data. Holds at most one request's worth of bytes plus one chunk, which is what
 * keeps the streaming readers' memory bounded by their batch size.
 */
export class ByteReader {
  /** Bytes handed out so far: the offset of the next byte in the (decompressed) data. */
  offset = 0;
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;
  private readonly source: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Up to `count` bytes; fewer only when the data ends first. Returns a fresh, owned array. */
  async read(count: number): Promise<Uint8Array> {
    await this.fill(count);
    const take = Math.min(count, this.buffered);
    const out = new Uint8Array(take);
    let written = 0;
    while (written < take) {
      const head = this.chunks[0]!;
      const part = Math.min(head.length, take - written);
      out.set(head.subarray(0, part), written);
      written += part;
      if (part === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(part);
    }
    this.buffered -= take;
    this.offset += take;
    return out;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.buffered === 0;
  }

  /** Closes the underlying source (stops reading the file). */
  async close(): Promise<void> {
    await this.source.return?.();
  }

  private async fill(count: number): Promise<void> {
    while (this.buffered < count && !this.ended) {
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        return;
      }
      if (next.value.length === 0) continue;
      this.chunks.push(next.value);
      this.buffered += next.value.length;
    }
  }
}
