import { builtinModules } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { PackageSpec } from './package-specs.ts';
import { isInternal, packageNameOf, REPO_ROOT } from './workspaces.ts';

/** What one bundle imports from outside itself and what third-party code it holds. */
export interface CodeBundle {
  /** Third-party packages left as imports (to be declared in the manifest), sorted. */
  readonly externals: readonly string[];
  /** Third-party package directories whose code is inside the bundle (for the notices). */
  readonly bundledPackageDirs: readonly string[];
}

const BUILTINS = new Set(builtinModules);

/**
 * Decides, per bare import, what stays external: `@squash/*` workspaces are always inlined (a user
 * never installs them), Node built-ins are always external, third-party packages are inlined only
 * for `bundleDependencies` specs and never when listed in `devOnlyImports`.
 */
function externalsPlugin(spec: PackageSpec): Plugin {
  const devOnly = new Set(spec.devOnlyImports ?? []);
  return {
    name: 'squash-externals',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isInternal(args.path)) return undefined;
        if (args.path.startsWith('node:') || BUILTINS.has(args.path))
          return { path: args.path, external: true };
        const name = packageNameOf(args.path);
        if (spec.bundleDependencies === true && !devOnly.has(name)) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles `spec.entry` into one ES module at `outfile` for Node 20+. Applications (`bin`) are
 * minified with names kept (error classes keep their names in messages and `instanceof` checks
 * still hold); libraries stay readable for users stepping through them.
 */
export async function bundleCode(spec: PackageSpec, outfile: string): Promise<CodeBundle> {
  const banner = [
    ...(spec.bin === undefined ? [] : ['#!/usr/bin/env node']),
    // Bundled CommonJS code calls `require` for built-ins, which an ES module lacks.
    ...(spec.bundleDependencies === true
      ? [
          "import { createRequire as __squashCreateRequire } from 'node:module'; const require = __squashCreateRequire(import.meta.url);",
        ]
      : []),
  ].join('\n');
  const entry = join(REPO_ROOT, spec.entry);
  const result = await build({
    // A command's entry is two lines calling the CLI's `runProcess` (as packages/cli/bin does
    // through tsx), given as stdin so no source file exists only for packing.
    ...(spec.bin === undefined
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents: `import { runProcess } from './${basename(entry)}';\nprocess.exitCode = await runProcess(process.argv.slice(2));\n`,
            resolveDir: dirname(entry),
            loader: 'ts' as const,
            sourcefile: `${spec.bin}-bin.ts`,
          },
        }),
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    plugins: [externalsPlugin(spec)],
    ...(banner === '' ? {} : { banner: { js: banner } }),
    minify: spec.bin !== undefined,
    keepNames: spec.bin !== undefined,
    metafile: true,
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
  });
  const externals = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith('node:') || BUILTINS.has(imported.path)) continue;
      externals.add(packageNameOf(imported.path));
    }
  }
  return {
    externals: [...externals].sort(),
    bundledPackageDirs: packageDirsOf(Object.keys(result.metafile.inputs)),
  };
}

/**
 * The `node_modules/<package>` directories (relative to the repository root) that esbuild input
 * paths lie in, innermost package per path, sorted and unique.
 */
export function packageDirsOf(inputs: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split('\\').join('/'));
    if (match?.[1] !== undefined) dirs.add(match[1]);
  }
  return [...dirs].sort();
}
