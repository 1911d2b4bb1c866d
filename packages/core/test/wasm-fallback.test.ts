import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScanner } from '../src/distance/create-scanner.ts';
import { wasmAvailable, wasmUnavailableReason } from '../src/wasm/kernels-module.ts';
import {
  type WebAssemblyMemory,
  type WebAssemblyModule,
  webAssemblyApi,
} from '../src/wasm/web-assembly-api.ts';

const base = Float32Array.of(1, 0, 0, 1, 0, 0);
const realApi = webAssemblyApi()!;

function expectTsScannerWorks(): void {
  const scanner = createScanner('l2', base, 2);
  expect(scanner.backend).toBe('ts');
  const out = new Float32Array(3);
  scanner.distancesToAll(Float32Array.of(1, 1), out);
  expect(Array.from(out)).toEqual([1, 1, 2]);
}

describe('backend selection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('uses WebAssembly SIMD under auto when the runtime supports it', () => {
    expect(wasmAvailable()).toBe(true);
    expect(wasmUnavailableReason()).toBeUndefined();
    expect(createScanner('l2', base, 2).backend).toBe('wasm');
  });

  it('falls back to the TypeScript scanner under auto when WebAssembly is missing', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(wasmAvailable()).toBe(false);
    expect(wasmUnavailableReason()).toBe('this runtime has no WebAssembly global');
    expectTsScannerWorks();
  });

  it('throws WASM_UNAVAILABLE for backend wasm when WebAssembly is missing', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(() => createScanner('l2', base, 2, { backend: 'wasm' })).toThrow(
      expect.objectContaining({
        name: 'SquashError',
        code: 'WASM_UNAVAILABLE',
        message: "backend 'wasm' requested but this runtime has no WebAssembly global",
      }),
    );
  });

  it('falls back when the runtime rejects the module, as an engine without SIMD does', () => {
    vi.stubGlobal('WebAssembly', {
      Module: realApi.Module,
      Instance: realApi.Instance,
      validate: () => false,
    });
    expect(wasmAvailable()).toBe(false);
    expect(wasmUnavailableReason()).toMatch(/rejects the kernels module/);
    expectTsScannerWorks();
    expect(() => createScanner('ip', base, 2, { backend: 'wasm' })).toThrow(
      expect.objectContaining({ code: 'WASM_UNAVAILABLE' }),
    );
  });

  it('falls back when compiling the module throws', () => {
    const failing = function Module(): never {
      throw new Error('out of executable memory');
    };
    vi.stubGlobal('WebAssembly', { Module: failing, Instance: realApi.Instance, validate: realApi.validate });
    expect(wasmUnavailableReason()).toMatch(
      /compiling the kernels module failed: Error: out of executable memory/,
    );
    expectTsScannerWorks();
  });

  it('falls back under auto, and throws WASM_UNAVAILABLE for wasm, when memory cannot grow', () => {
    const refusingInstance = function Instance(module: WebAssemblyModule, imports: Record<string, unknown>) {
      const real = new realApi.Instance(module, imports);
      const memory = real.exports.memory as WebAssemblyMemory;
      const refusing: WebAssemblyMemory = {
        get buffer() {
          return memory.buffer;
        },
        grow() {
          throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
        },
      };
      return { exports: { ...real.exports, memory: refusing } };
    };
    vi.stubGlobal('WebAssembly', {
      Module: realApi.Module,
      Instance: refusingInstance,
      validate: realApi.validate,
    });
    const large = new Float32Array(100_000);
    expect(createScanner('l2', large, 10).backend).toBe('ts');
    expect(() => createScanner('l2', large, 10, { backend: 'wasm' })).toThrow(
      expect.objectContaining({
        code: 'WASM_UNAVAILABLE',
        message: expect.stringMatching(
          /^cannot grow WebAssembly memory to \d+ bytes for the WebAssembly scanner of /,
        ),
      }),
    );
    expect(createScanner('l2', new Float32Array(10), 10, { backend: 'wasm' }).backend).toBe('wasm');
  });

  it('uses WebAssembly again once the global is restored', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(wasmAvailable()).toBe(false);
    vi.unstubAllGlobals();
    expect(wasmAvailable()).toBe(true);
    expect(createScanner('cosine', base, 2).backend).toBe('wasm');
  });
});
