import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/pack/workspaces.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What the pack scripts need to know about one npm workspace of this repository. */
export interface Workspace {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** Directory relative to the repository root, e.g. `packages/client`. */
  readonly dir: string;
  /** The TypeScript module `exports['.']` points at, relative to the repository root. */
  readonly entry: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

interface Manifest {
  name: string;
  version: string;
  description?: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  workspaces?: string[];
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace the root package.json lists (`dir/*` patterns expanded), by package name. */
export function readWorkspaces(): Map<string, Workspace> {
  const patterns = readManifest('.').workspaces ?? [];
  const dirs = patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(REPO_ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
  const out = new Map<string, Workspace>();
  for (const dir of dirs) {
    const manifest = readManifest(dir);
    const exported = manifest.exports?.['.'];
    out.set(manifest.name, {
      name: manifest.name,
      version: manifest.version,
      description: manifest.description ?? '',
      dir,
      entry: exported === undefined ? '' : relative(REPO_ROOT, join(REPO_ROOT, dir, exported)),
      dependencies: manifest.dependencies ?? {},
    });
  }
  return out;
}

/** True for `@squash/*` workspace specifiers (inlined into every packed bundle). */
export function isInternal(specifier: string): boolean {
  return specifier.startsWith('@squash/');
}

/** The package a bare specifier names: `@scope/name` or `name` (subpaths dropped). */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * The exact version of third-party package `name` that the workspaces declare. Every published
 * dependency must be declared by some workspace with one exact version, so the packed manifest
 * pins what the tests ran against.
 *
 * @throws Error when no workspace declares `name`, or two declare different versions.
 */
export function declaredVersion(name: string, workspaces: ReadonlyMap<string, Workspace>): string {
  const versions = new Set<string>();
  for (const ws of workspaces.values()) {
    const version = ws.dependencies[name];
    if (version !== undefined) versions.add(version);
  }
  if (versions.size !== 1) {
    throw new Error(
      versions.size === 0
        ? `the bundle imports ${name}, which no workspace declares as a dependency: declare it (exact version) in the package that imports it`
        : `workspaces declare ${name} at different versions (${[...versions].join(', ')}): align them before packing`,
    );
  }
  const [version = ''] = versions;
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
    throw new Error(
      `${name} is declared as ${JSON.stringify(version)}; the packed manifest needs an exact version`,
    );
  }
  return version;
}
