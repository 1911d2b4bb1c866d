/**
 * The slice of the WebAssembly JavaScript API the kernels use, typed here because `@squash/core`
 * compiles against the plain ES2022 library (no DOM, no Node types), which does not declare the
 * `WebAssembly` global. Reading it through `globalThis` also lets tests remove it to exercise
 * the TypeScript fallback.
 */

/** `WebAssembly.Memory`: growable linear memory in 64 KiB pages. */
export interface WebAssemblyMemory {
  /** The current backing buffer. Growing detaches it: views must be re-created afterwards. */
  readonly buffer: ArrayBuffer;
  /** Grows by `deltaPages` pages, returning the previous size; throws RangeError when it cannot. */
  grow(deltaPages: number): number;
}

export interface WebAssemblyInstance {
  readonly exports: Record<string, unknown>;
}

/** An opaque compiled `WebAssembly.Module`. */
export interface WebAssemblyModule {
  readonly __brand?: 'WebAssembly.Module';
}

export interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => WebAssemblyModule;
  readonly Instance: new (module: WebAssemblyModule, imports: Record<string, unknown>) => WebAssemblyInstance;
  validate(bytes: Uint8Array): boolean;
}

/** Bytes in one WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65_536;

/** The most memory a 32-bit WebAssembly instance can address: 65,536 pages, 4 GiB. */
export const WASM_MAX_MEMORY_BYTES = 65_536 * WASM_PAGE_BYTES;

/** The runtime's `WebAssembly` namespace, or undefined when it has none (or it was removed). */
export function webAssemblyApi(): WebAssemblyApi | undefined {
  const api = (globalThis as { WebAssembly?: unknown }).WebAssembly;
  if (typeof api !== 'object' || api === null) return undefined;
  const candidate = api as Partial<WebAssemblyApi>;
  const complete =
    typeof candidate.Module === 'function' &&
    typeof candidate.Instance === 'function' &&
    typeof candidate.validate === 'function';
  return complete ? (candidate as WebAssemblyApi) : undefined;
}
