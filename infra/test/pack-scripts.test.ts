import { describe, expect, it } from 'vitest';
import { packageDirsOf } from '../../scripts/pack/bundle-code.ts';
import { rewriteSpecifiers } from '../../scripts/pack/bundle-types.ts';
import { publishManifest } from '../../scripts/pack/pack-packages.ts';
import { PACKAGE_SPECS, type PackageSpec } from '../../scripts/pack/package-specs.ts';
import { declaredVersion, readWorkspaces, type Workspace } from '../../scripts/pack/workspaces.ts';

const internal = new Map([
  ['@squash/contracts', 'packages/contracts/src/index.ts'],
  ['@squash/errors', 'packages/errors/src/index.ts'],
]);

function workspace(name: string, dependencies: Record<string, string>): Workspace {
  return {
    name,
    version: '1.2.3',
    description: `${name} things`,
    dir: `packages/${name}`,
    entry: '',
    dependencies,
  };
}

describe('declaration specifiers of packed packages', () => {
  it('turns workspace imports into relative paths into the types tree and .ts into .js', () => {
    const text = [
      "import type { ApiErrorCode } from '@squash/contracts';",
      "export { SquashApiError } from './client-error.ts';",
      "export type X = import('@squash/errors').SquashError<'A'>;",
      "import type { HttpRequest } from '@smithy/types';",
    ].join('\n');
    expect(rewriteSpecifiers(text, 'packages/client/src', internal).split('\n')).toEqual([
      "import type { ApiErrorCode } from '../../contracts/src/index.js';",
      "export { SquashApiError } from './client-error.js';",
      "export type X = import('../../errors/src/index.js').SquashError<'A'>;",
      "import type { HttpRequest } from '@smithy/types';",
    ]);
  });

  it('rejects an import of a workspace subpath, which the types tree does not hold', () => {
    expect(() => rewriteSpecifiers("import { x } from '@squash/contracts/env';", 'a', internal)).toThrow(
      'declarations import @squash/contracts/env, which is not a workspace entry',
    );
  });
});

describe('third-party code in bundles', () => {
  it('names the innermost node_modules package of every input, scoped ones included', () => {
    expect(
      packageDirsOf([
        'node_modules/@aws-sdk/client-s3/dist-es/index.js',
        'node_modules/@aws-sdk/client-s3/dist-es/S3.js',
        'node_modules/a/node_modules/b/lib/x.js',
        'packages/core/src/index.ts',
      ]),
    ).toEqual(['node_modules/@aws-sdk/client-s3', 'node_modules/a/node_modules/b']);
  });
});

describe('publish manifests', () => {
  const workspaces = new Map([
    ['a', workspace('a', { 'aws-cdk-lib': '2.276.0', 'hash-wasm': '4.13.0', '@squash/core': '0.1.0' })],
    ['b', workspace('b', { 'hash-wasm': '4.13.0', esbuild: '0.28.2' })],
  ]);

  it('pins each dependency at the one exact version the workspaces declare', () => {
    expect(declaredVersion('hash-wasm', workspaces)).toBe('4.13.0');
  });

  it('rejects a dependency no workspace declares, or two versions of one, or a range', () => {
    expect(() => declaredVersion('left-pad', workspaces)).toThrow('which no workspace declares');
    const split = new Map([...workspaces, ['c', workspace('c', { 'hash-wasm': '4.12.0' })]]);
    expect(() => declaredVersion('hash-wasm', split)).toThrow('at different versions (4.13.0, 4.12.0)');
    const ranged = new Map([['c', workspace('c', { 'hash-wasm': '^4.12.0' })]]);
    expect(() => declaredVersion('hash-wasm', ranged)).toThrow('needs an exact version');
  });

  it('declares libraries with exact dependencies and caret peers, without workspace or dev-only packages', () => {
    const spec: PackageSpec = {
      name: '@squash/cdk',
      workspace: 'a',
      entry: 'infra/lib/index.ts',
      peerDependencies: ['aws-cdk-lib'],
      devOnlyImports: ['esbuild'],
    };
    const manifest = publishManifest(
      spec,
      workspaces.get('a') as Workspace,
      ['aws-cdk-lib', 'esbuild', 'hash-wasm'],
      './dist/types/infra/lib/index.d.ts',
      workspaces,
    );
    expect(manifest).toMatchObject({
      name: '@squash/cdk',
      version: '1.2.3',
      type: 'module',
      exports: { '.': { types: './dist/types/infra/lib/index.d.ts', default: './dist/index.mjs' } },
      dependencies: { 'hash-wasm': '4.13.0' },
      peerDependencies: { 'aws-cdk-lib': '^2.276.0' },
    });
    expect(JSON.stringify(manifest)).not.toContain('@squash/core');
  });

  it('gives a command a bin and no library exports', () => {
    const spec: PackageSpec = {
      name: 'x',
      workspace: 'b',
      entry: 'main.ts',
      bin: 'squash',
      bundleDependencies: true,
    };
    const manifest = publishManifest(spec, workspaces.get('b') as Workspace, [], undefined, workspaces);
    expect(manifest.bin).toEqual({ squash: './dist/squash.mjs' });
    expect(manifest.exports).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
  });

  it('builds every published package from an existing workspace', () => {
    const names = new Set(readWorkspaces().keys());
    for (const spec of PACKAGE_SPECS)
      expect([spec.name, names.has(spec.workspace)]).toEqual([spec.name, true]);
  });
});
