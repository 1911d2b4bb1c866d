/**
 * `npm run pack:packages [-- --out <dir>]`: builds the publishable packages (PACKAGE_SPECS) from
 * the workspaces and packs each with `npm pack`. Prints one tarball path per line.
 *
 * Per package, in a clean staging directory `<out>/<name>/`:
 * 1. `dist/` from esbuild: the entry with every `@squash/*` workspace inlined (`bundleCode`);
 *    third-party imports stay external and are declared with the exact versions the workspaces
 *    pin, except in applications, which bundle them (`bundleDependencies`).
 * 2. `dist/handlers/`: the Lambda handlers prebuilt from `HANDLER_ENTRIES` with the deployed
 *    esbuild options (`writePrebuiltHandlers`); the local runtime's worker entry files.
 * 3. `dist/types/`: declarations that need no internal package (`emitTypes`).
 * 4. A publish manifest written from scratch: no workspace dependency, no scripts.
 *
 * The workspaces themselves are untouched: they keep exporting TypeScript sources.
 */
import { copyFile, cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type PrebuiltHandlers, writePrebuiltHandlers } from '@squash/handler-bundle';
import { bundleCode, packageDirsOf } from './bundle-code.ts';
import { emitTypes } from './bundle-types.ts';
import { PACKAGE_SPECS, type PackageSpec } from './package-specs.ts';
import { runChild } from './run-child.ts';
import { thirdPartyNotices } from './third-party-notices.ts';
import { declaredVersion, REPO_ROOT, readWorkspaces, type Workspace } from './workspaces.ts';

/** One packed package. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** The staging directory it was packed from. */
  readonly dir: string;
}

/** Builds and packs every package of `specs` into `outDir` (emptied first). */
export async function packPackages(outDir: string, specs = PACKAGE_SPECS): Promise<PackedPackage[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const workspaces = readWorkspaces();
  // Built once, copied into every package that ships them: the same bytes everywhere.
  const handlersDir = join(outDir, '.handlers');
  const built = specs.some((spec) => spec.handlers === true)
    ? { dir: handlersDir, ...(await writePrebuiltHandlers(handlersDir)) }
    : undefined;
  const packed: PackedPackage[] = [];
  for (const spec of specs) packed.push(await packOne(spec, outDir, workspaces, built));
  await rm(handlersDir, { recursive: true, force: true });
  return packed;
}

async function packOne(
  spec: PackageSpec,
  outDir: string,
  workspaces: ReadonlyMap<string, Workspace>,
  handlers: (PrebuiltHandlers & { readonly dir: string }) | undefined,
): Promise<PackedPackage> {
  const workspace = workspaces.get(spec.workspace);
  if (workspace === undefined) throw new Error(`package ${spec.name}: no workspace named ${spec.workspace}`);
  const dir = join(outDir, spec.name.replace('/', '+'));
  const dist = join(dir, 'dist');
  await mkdir(dist, { recursive: true });
  const main = join(dist, spec.bin === undefined ? 'index.mjs' : `${spec.bin}.mjs`);
  const code = await bundleCode(spec, main);
  let bundledDirs = code.bundledPackageDirs.map((path) => resolve(REPO_ROOT, path));
  if (spec.handlers === true) {
    if (handlers === undefined) throw new Error(`package ${spec.name}: handlers were not built`);
    await cp(handlers.dir, join(dist, 'handlers'), { recursive: true });
    bundledDirs = [...new Set([...bundledDirs, ...packageDirsOf(handlers.inputs)])].sort();
  }
  if (spec.workerEntries === true) await copyWorkerEntries(dist, workspaces);
  const types =
    spec.bin === undefined ? await emitTypes(workspace, join(dist, 'types'), workspaces) : undefined;
  if (bundledDirs.length > 0)
    await writeFile(join(dir, 'THIRD_PARTY_NOTICES.md'), thirdPartyNotices(spec.name, bundledDirs));
  const imports = [...new Set([...code.externals, ...(types?.imports ?? [])])].sort();
  const typesPath = types === undefined ? undefined : `./dist/types/${types.entry}`;
  const manifest = publishManifest(spec, workspace, imports, typesPath, workspaces);
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'README.md'), packageReadme(spec, manifest.description));
  const out = await runChild('npm', ['pack', '--json', '--pack-destination', outDir], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  const [result] = JSON.parse(out) as [{ filename: string }];
  return { name: spec.name, version: workspace.version, tarball: join(outDir, result.filename), dir };
}

/**
 * The local Lambda runtime forks its workers from plain `.mjs` files found next to the module
 * that starts them (`new URL('./worker-entry.mjs', import.meta.url)`); after bundling that module
 * is `dist/<bin>.mjs`, so the files are copied beside it.
 */
async function copyWorkerEntries(dist: string, workspaces: ReadonlyMap<string, Workspace>): Promise<void> {
  const runtime = workspaces.get('@squash/lambda-runtime');
  if (runtime === undefined)
    throw new Error('no @squash/lambda-runtime workspace: cannot ship its worker entry files');
  const src = join(REPO_ROOT, dirname(runtime.entry));
  const files = (await readdir(src)).filter((name) => name.endsWith('.mjs'));
  if (!files.includes('worker-entry.mjs')) throw new Error(`${src} has no worker-entry.mjs`);
  for (const name of files) await copyFile(join(src, name), join(dist, name));
}

interface PublishManifest {
  name: string;
  version: string;
  description: string;
  [field: string]: unknown;
}

/** The package.json of a packed package: what npm needs, nothing from the workspace setup. */
export function publishManifest(
  spec: PackageSpec,
  workspace: Workspace,
  /** Third-party packages the code or the declarations import. */
  imports: readonly string[],
  types: string | undefined,
  workspaces: ReadonlyMap<string, Workspace>,
): PublishManifest {
  const peers = new Set(spec.peerDependencies ?? []);
  const devOnly = new Set(spec.devOnlyImports ?? []);
  const dependencies = Object.fromEntries(
    imports
      .filter((name) => !peers.has(name) && !devOnly.has(name))
      .map((name) => [name, declaredVersion(name, workspaces)]),
  );
  const peerDependencies = Object.fromEntries(
    [...peers].map((name) => [name, `^${declaredVersion(name, workspaces)}`]),
  );
  return {
    name: spec.name,
    version: workspace.version,
    description: spec.description ?? workspace.description,
    type: 'module',
    engines: { node: '>=20' },
    ...(spec.bin === undefined
      ? {
          main: './dist/index.mjs',
          types,
          exports: { '.': { types, default: './dist/index.mjs' }, './package.json': './package.json' },
        }
      : { bin: { [spec.bin]: `./dist/${spec.bin}.mjs` } }),
    ...(Object.keys(dependencies).length === 0 ? {} : { dependencies }),
    ...(peers.size === 0 ? {} : { peerDependencies }),
  };
}

function packageReadme(spec: PackageSpec, description: string): string {
  return `# ${spec.name}\n\n${description}\n\nPart of squash, serverless filtered vector search on AWS Lambda and S3. Installing, a usage example and the documentation: the squash README, section "Install".\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: join(REPO_ROOT, 'build', 'packages') } },
  });
  const started = Date.now();
  for (const pkg of await packPackages(resolve(values.out))) console.log(pkg.tarball);
  console.error(`packed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
