import { SquashError } from '../errors/index.ts';
import { WASM_MAX_MEMORY_BYTES, WASM_PAGE_BYTES, type WebAssemblyMemory } from './web-assembly-api.ts';

/** v128 loads are fastest (and simplest to reason about) from 16-byte aligned regions. */
export const WASM_ALIGN_BYTES = 16;

/** `bytes` rounded up to a multiple of 16, the alignment of every region the kernels read. */
export function alignUp(bytes: number): number {
  return Math.ceil(bytes / WASM_ALIGN_BYTES) * WASM_ALIGN_BYTES;
}

/**
 * Grows `memory` so that it holds at least `endBytes` bytes. Growing detaches the old buffer, so
 * callers re-create their views from `memory.buffer` afterwards (this returns it).
 *
 * @throws SquashError `WASM_UNAVAILABLE` when `endBytes` is past the 4 GiB of a 32-bit instance
 *   or the runtime refuses to grow; `what` names the caller's data in the message.
 */
export function ensureMemory(memory: WebAssemblyMemory, endBytes: number, what: string): ArrayBuffer {
  if (endBytes > WASM_MAX_MEMORY_BYTES) {
    throw new SquashError(
      'WASM_UNAVAILABLE',
      `${what} needs ${endBytes} bytes of WebAssembly memory; allowed: at most ${WASM_MAX_MEMORY_BYTES} (4 GiB)`,
    );
  }
  const missingBytes = endBytes - memory.buffer.byteLength;
  if (missingBytes > 0) {
    try {
      memory.grow(Math.ceil(missingBytes / WASM_PAGE_BYTES));
    } catch (error) {
      throw new SquashError(
        'WASM_UNAVAILABLE',
        `cannot grow WebAssembly memory to ${endBytes} bytes for ${what}`,
        {
          cause: error,
        },
      );
    }
  }
  return memory.buffer;
}
