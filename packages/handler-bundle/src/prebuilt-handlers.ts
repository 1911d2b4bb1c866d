import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHandler, type FunctionKind, functionKinds } from './bundle-handlers.ts';
import { HANDLER_BUNDLE } from './handler-bundle.ts';

/**
 * Prebuilt handler bundles: what a packed package (the `squash` CLI, the CDK construct) ships
 * instead of handler sources, so an installed package never needs this repository.
 *
 * Layout of a prebuilt directory, written at pack time by `writePrebuiltHandlers`:
 *
 * ```
 * handlers/handlers.json          { "format": 1, "handlers": { "<kind>": "<kind>/index.mjs" } }
 * handlers/<kind>/index.mjs       one ES module per function, HANDLER_BUNDLE options
 * ```
 *
 * Each `<kind>/` directory holds exactly the Lambda asset (`index.mjs`, handler `index.handler`),
 * so the construct deploys the directory as it is.
 */
export const PREBUILT_MANIFEST_FILE = 'handlers.json';

/** Version of the `handlers.json` layout; readers reject any other. */
const PREBUILT_FORMAT = 1;

interface PrebuiltManifest {
  readonly format: number;
  readonly handlers: Readonly<Record<string, string>>;
}

/** What `writePrebuiltHandlers` wrote. */
export interface PrebuiltHandlers {
  /** The bundle file of every function. */
  readonly bundles: Record<FunctionKind, string>;
  /** Absolute paths of every source file bundled (for third-party notices), sorted, unique. */
  readonly inputs: readonly string[];
}

/**
 * Bundles every function of `HANDLER_ENTRIES` into `outDir/<kind>/index.mjs` and writes the
 * manifest last, so a directory with a manifest is always complete.
 */
export async function writePrebuiltHandlers(outDir: string): Promise<PrebuiltHandlers> {
  const handlers: Record<string, string> = {};
  const bundles = {} as Record<FunctionKind, string>;
  const inputs = new Set<string>();
  for (const kind of functionKinds()) {
    const relative = `${kind}/${HANDLER_BUNDLE.outputFile}`;
    await mkdir(join(outDir, kind), { recursive: true });
    for (const input of await buildHandler(kind, join(outDir, relative))) inputs.add(input);
    bundles[kind] = join(outDir, relative);
    handlers[kind] = relative;
  }
  const manifest: PrebuiltManifest = { format: PREBUILT_FORMAT, handlers };
  await writeFile(join(outDir, PREBUILT_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { bundles, inputs: [...inputs].sort() };
}

/**
 * The bundle file of every function in the prebuilt directory `dir`, or `undefined` when `dir`
 * holds no manifest (the normal case inside the repository, where handlers are bundled from
 * source). Synchronous, because CDK constructs are built synchronously.
 *
 * @throws Error when the manifest exists but is of another format, or lacks a function of
 *   `HANDLER_ENTRIES` or its file: the package was packed from different sources.
 */
export function readPrebuiltHandlers(dir: string): Record<FunctionKind, string> | undefined {
  const manifestPath = join(dir, PREBUILT_MANIFEST_FILE);
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PrebuiltManifest;
  if (manifest.format !== PREBUILT_FORMAT) {
    throw new Error(
      `${manifestPath} has format ${JSON.stringify(manifest.format)}; this code reads format ${PREBUILT_FORMAT}: reinstall the package`,
    );
  }
  const out = {} as Record<FunctionKind, string>;
  for (const kind of functionKinds()) {
    const relative = manifest.handlers[kind];
    const file = relative === undefined ? undefined : join(dir, relative);
    if (file === undefined || !existsSync(file)) {
      throw new Error(
        `${manifestPath} has no bundle for the ${kind} function (expected ${kind}/${HANDLER_BUNDLE.outputFile}): the package was packed from other sources; reinstall it`,
      );
    }
    out[kind] = file;
  }
  return out;
}

/**
 * The handler bundles shipped next to the running code: `handlers/` beside the module this code
 * was bundled into (`dist/handlers` of a packed package). Inside the repository this resolves to
 * `packages/handler-bundle/src/handlers`, which does not exist, so the answer is `undefined` and
 * callers bundle from source.
 */
export function packagedHandlers(): Record<FunctionKind, string> | undefined {
  return readPrebuiltHandlers(join(dirname(fileURLToPath(import.meta.url)), 'handlers'));
}
