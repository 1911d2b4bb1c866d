import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { runChild } from './run-child.ts';
import type { Workspace } from './workspaces.ts';
import { isInternal, packageNameOf, REPO_ROOT } from './workspaces.ts';

/** A module specifier in `from '...'` or `import('...')`. */
const SPECIFIER = /(from\s+|import\s*\(\s*)(['"])([^'"]+)\2/g;
const BUILTINS = new Set(builtinModules);

/**
 * Writes declarations for `workspace`'s entry under `typesDir`; returns the entry's `.d.ts`
 * (relative to `typesDir`) and the third-party packages the declarations import.
 *
 * How: `tsc` emits declarations of the entry and of every workspace module it reaches, keeping
 * the repository's layout (`packages/contracts/src/index.d.ts`, ...). The workspaces are reached
 * through `paths`, not node_modules, so tsc treats them as sources to emit rather than as
 * external libraries. Then every `@squash/*` specifier becomes a relative path into that tree
 * and every relative `.ts` specifier a `.js` one, which is what a consumer's `NodeNext`
 * resolution maps to the `.d.ts`. The result needs no internal package. (Single-file bundlers,
 * dts-bundle-generator 9.5.1 among them, failed on workspaces that export `.ts` sources.)
 */
export async function emitTypes(
  workspace: Workspace,
  typesDir: string,
  workspaces: ReadonlyMap<string, Workspace>,
): Promise<EmittedTypes> {
  const entry = workspace.entry;
  const paths: Record<string, string[]> = {};
  for (const ws of workspaces.values()) if (ws.entry !== '') paths[ws.name] = [join(REPO_ROOT, ws.entry)];
  await mkdir(typesDir, { recursive: true });
  const tsconfigPath = join(dirname(typesDir), 'tsconfig.pack.json');
  const tsconfig = {
    // The workspace's own compiler options (infra relaxes exactOptionalPropertyTypes for CDK).
    extends: join(REPO_ROOT, workspace.dir, 'tsconfig.json'),
    compilerOptions: {
      composite: false,
      incremental: false,
      types: ['node'],
      typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
      rootDir: REPO_ROOT,
      outDir: typesDir,
      declaration: true,
      emitDeclarationOnly: true,
      paths,
    },
    files: [join(REPO_ROOT, entry)],
    include: [],
  };
  await writeFile(tsconfigPath, JSON.stringify(tsconfig, null, 2));
  await runChild(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfigPath], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
  });
  await rm(tsconfigPath);
  const internal = new Map([...workspaces.values()].map((ws) => [ws.name, ws.entry]));
  const imports = new Set<string>();
  for (const file of await declarationFiles(typesDir)) {
    const text = await readFile(file, 'utf8');
    const rewritten = rewriteSpecifiers(text, relative(typesDir, dirname(file)), internal);
    for (const specifier of bareSpecifiers(rewritten)) imports.add(packageNameOf(specifier));
    await writeFile(file, rewritten);
  }
  return { entry: entry.replace(/\.ts$/, '.d.ts'), imports: [...imports].sort() };
}

/** What `emitTypes` wrote. */
export interface EmittedTypes {
  /** The entry's declaration file, relative to the types directory. */
  readonly entry: string;
  /**
   * Third-party packages the declarations import (type-only imports included, which the code
   * bundle never shows): a consumer's type check needs them installed, so they are dependencies.
   */
  readonly imports: readonly string[];
}

/** Bare, non-built-in module specifiers of a declaration file. */
function bareSpecifiers(text: string): string[] {
  return [...text.matchAll(SPECIFIER)]
    .map((match) => match[3] ?? '')
    .filter(
      (spec) => spec !== '' && !spec.startsWith('.') && !spec.startsWith('node:') && !BUILTINS.has(spec),
    );
}

/**
 * Rewrites the module specifiers of one declaration file living at `fileDir` (relative to the
 * types root): `@squash/x` -> the relative path of x's entry `.js`, `./y.ts` -> `./y.js`.
 *
 * @throws Error for an `@squash/*` specifier that is not a workspace entry (a subpath import).
 */
export function rewriteSpecifiers(
  text: string,
  fileDir: string,
  internal: ReadonlyMap<string, string>,
): string {
  return text.replace(
    /(from\s+|import\s*\(\s*)(['"])([^'"]+)\2/g,
    (whole, lead: string, quote: string, spec: string) => {
      let target = spec;
      if (isInternal(spec)) {
        const entry = internal.get(spec);
        if (entry === undefined || entry === '')
          throw new Error(`declarations import ${spec}, which is not a workspace entry`);
        const path = relative(fileDir, entry).split('\\').join('/');
        target = path.startsWith('.') ? path : `./${path}`;
      }
      if (target.startsWith('.')) target = target.replace(/\.ts$/, '.js');
      return target === spec ? whole : `${lead}${quote}${target}${quote}`;
    },
  );
}

async function declarationFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
