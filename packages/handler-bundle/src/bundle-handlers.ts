import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANDLER_ENTRIES } from '@squash/contracts';
import { esbuildBuildOptions } from './handler-bundle.ts';

/**
 * The repository root (this file is packages/handler-bundle/src/bundle-handlers.ts). Meaningful
 * only inside the repository: in a packed package this module is bundled into `dist/` and the
 * handlers come prebuilt (`packagedHandlers`), so nothing reads handler sources through it.
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export type FunctionKind = keyof typeof HANDLER_ENTRIES;

/** Every function kind, in `HANDLER_ENTRIES` order: the one list of functions. */
export function functionKinds(): FunctionKind[] {
  return Object.keys(HANDLER_ENTRIES) as FunctionKind[];
}

/**
 * Bundles the handler of `kind` from the repository's sources into `outfile` with the deployed
 * options (`esbuildBuildOptions`) and returns the absolute paths of every file esbuild read (for
 * the third-party notices of a packed package). esbuild is imported on first use, so code that
 * only reads `HANDLER_BUNDLE` (the CDK construct, a packed CLI using prebuilt bundles) never
 * loads it.
 */
export async function buildHandler(kind: FunctionKind, outfile: string): Promise<string[]> {
  const { build } = await import('esbuild').catch((cause: unknown) => {
    throw new Error(
      `bundling the ${kind} handler from source needs esbuild, which is not installed: in the repository run npm ci; an installed squash package ships its handlers prebuilt in dist/handlers, so reinstall it`,
      { cause },
    );
  });
  const options = esbuildBuildOptions(join(REPO_ROOT, HANDLER_ENTRIES[kind]), outfile);
  const result = await build({ ...options, metafile: true, absWorkingDir: REPO_ROOT });
  return Object.keys(result.metafile.inputs).map((input) => resolve(REPO_ROOT, input));
}

/** `buildHandler`, returning `outfile`. */
export async function bundleHandler(kind: FunctionKind, outfile: string): Promise<string> {
  await buildHandler(kind, outfile);
  return outfile;
}

/**
 * Bundles every handler into `outDir` (`<kind>.mjs`) with the deployed bundling options, so
 * local workers start from plain JavaScript: a cold start then costs about 0.2 s instead of the
 * 1 s that loading TypeScript through tsx takes.
 */
export async function bundleHandlers(outDir: string): Promise<Record<FunctionKind, string>> {
  await mkdir(outDir, { recursive: true });
  const entries = await Promise.all(
    functionKinds().map(
      async (kind) => [kind, await bundleHandler(kind, join(outDir, `${kind}.mjs`))] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<FunctionKind, string>;
}
