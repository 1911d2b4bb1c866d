import { LOG_TAIL_BYTES } from './lambda-limits.ts';

/**
 * Collects one invocation's log text and keeps only its end, which is all `X-Amz-Log-Result`
 * returns. Memory stays bounded (about twice `maxBytes`) however much a handler prints.
 */
export class LogTail {
  private readonly maxBytes: number;
  private chunks: Buffer[] = [];
  private byteLength = 0;

  /** @param maxBytes bytes kept. @default LOG_TAIL_BYTES (4 KB, the AWS limit) */
  constructor(maxBytes: number = LOG_TAIL_BYTES) {
    this.maxBytes = maxBytes;
  }

  append(text: string): void {
    const chunk = Buffer.from(text, 'utf8');
    this.chunks.push(chunk);
    this.byteLength += chunk.length;
    if (this.byteLength > 2 * this.maxBytes) this.compact();
  }

  /** The last `maxBytes` bytes, starting on a UTF-8 character boundary. */
  tailBytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    let start = Math.max(0, all.length - this.maxBytes);
    // AWS cuts at a byte; we step past continuation bytes so the tail decodes cleanly.
    while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start += 1;
    return all.subarray(start);
  }

  /** The tail as `X-Amz-Log-Result` carries it. */
  toBase64(): string {
    return this.tailBytes().toString('base64');
  }

  private compact(): void {
    const kept = this.tailBytes();
    this.chunks = [Buffer.from(kept)];
    this.byteLength = kept.length;
  }
}
