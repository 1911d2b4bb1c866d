/** Options shared by the loaders. */
export interface LoadOptions {
  /**
   * Check every object's CRC-32C against the manifest. Sizes are always checked (a truncated
   * object always fails). Turning it off saves one pass over the bytes:
   * about 0.5 ms per MB (hash-wasm CRC-32C, ~2 GB/s measured warm; docs/index-format.md), small
   * next to reading the bytes from a disk and noise next to an S3 GET.
   * @default true
   */
  readonly verify?: boolean;
}
