import { decodeBase64 } from './decode-base64.ts';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.generated.ts';
import {
  type WebAssemblyApi,
  type WebAssemblyMemory,
  type WebAssemblyModule,
  webAssemblyApi,
} from './web-assembly-api.ts';

/**
 * The exports of `packages/core/assembly/index.ts`. Every `...Ptr` argument is a byte offset into
 * `memory`; the `...Rows` kernels return -1, or the position of the first row id >= n.
 */
export interface KernelExports {
  readonly memory: WebAssemblyMemory;
  heapBase(): number;
  l2All(queryPtr: number, basePtr: number, n: number, dim: number, outPtr: number): void;
  negDotAll(queryPtr: number, basePtr: number, n: number, dim: number, outPtr: number): void;
  cosineAll(
    queryPtr: number,
    basePtr: number,
    n: number,
    dim: number,
    rowNormsPtr: number,
    queryNorm: number,
    outPtr: number,
  ): void;
  l2Rows(
    queryPtr: number,
    basePtr: number,
    n: number,
    dim: number,
    idsPtr: number,
    count: number,
    outPtr: number,
  ): number;
  negDotRows(
    queryPtr: number,
    basePtr: number,
    n: number,
    dim: number,
    idsPtr: number,
    count: number,
    outPtr: number,
  ): number;
  cosineRows(
    queryPtr: number,
    basePtr: number,
    n: number,
    dim: number,
    rowNormsPtr: number,
    queryNorm: number,
    idsPtr: number,
    count: number,
    outPtr: number,
  ): number;
}

/** The outcome of compiling the kernels with one `WebAssembly` implementation. */
type CompileOutcome =
  | { readonly api: WebAssemblyApi; readonly module: WebAssemblyModule }
  | { readonly api: WebAssemblyApi | undefined; readonly module: undefined; readonly reason: string };

let cached: CompileOutcome | undefined;

/**
 * Compiles the kernels module once per `WebAssembly` implementation and caches the result (the
 * cache is keyed on the global object, so a test that swaps `globalThis.WebAssembly` sees the
 * swap). Compilation is synchronous (`new WebAssembly.Module`) so that scanners can be created
 * synchronously; the module is about 3 KB, so that costs well under a millisecond.
 */
function compileKernels(): CompileOutcome {
  const api = webAssemblyApi();
  if (cached !== undefined && cached.api === api) return cached;
  cached = compileWith(api);
  return cached;
}

function compileWith(api: WebAssemblyApi | undefined): CompileOutcome {
  if (api === undefined) return { api, module: undefined, reason: 'this runtime has no WebAssembly global' };
  const bytes = decodeBase64(KERNELS_WASM_BASE64);
  try {
    if (!api.validate(bytes)) {
      return {
        api,
        module: undefined,
        reason: 'this runtime rejects the kernels module (no WebAssembly SIMD support?)',
      };
    }
    return { api, module: new api.Module(bytes) };
  } catch (error) {
    return { api, module: undefined, reason: `compiling the kernels module failed: ${String(error)}` };
  }
}

/**
 * True when this runtime has WebAssembly with fixed-width SIMD and the kernels module compiles,
 * that is when `createScanner(..., { backend: 'wasm' })` can succeed (memory permitting).
 */
export function wasmAvailable(): boolean {
  return compileKernels().module !== undefined;
}

/** Why the kernels are unavailable, or undefined when they are available. */
export function wasmUnavailableReason(): string | undefined {
  const outcome = compileKernels();
  return outcome.module === undefined ? outcome.reason : undefined;
}

/** A fresh instance (its own memory) of the kernels module, or undefined when unavailable. */
export function instantiateKernels(): KernelExports | undefined {
  const outcome = compileKernels();
  if (outcome.module === undefined) return undefined;
  const instance = new outcome.api.Instance(outcome.module, {});
  return instance.exports as unknown as KernelExports;
}
