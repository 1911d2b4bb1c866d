import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The layers, lowest first: a workspace may import only workspaces of a lower rank (or its own
 * rank's peers listed in `PEERS`). Shipped source (`src/`, `lib/`, handlers) never imports test
 * code.
 */
const RANK: Record<string, number> = {
  '@squash/errors': 0,
  '@squash/contracts': 0,
  '@squash/core': 1,
  '@squash/client': 1,
  '@squash/io': 2,
  '@squash/storage': 2,
  '@squash/index-format': 3,
  '@squash/handler-bundle': 3,
  '@squash/datasets': 3,
  '@squash/query-service': 4,
  '@squash/compaction': 4,
  '@squash/lambda-runtime': 4,
  '@squash/functions': 5,
  '@squash/serve': 6,
  '@squash/infra': 6,
  '@squash/testkit': 7,
  '@squash/cli': 7,
  '@squash/bench': 8,
};

interface Workspace {
  readonly name: string;
  readonly dir: string;
  readonly sourceDirs: string[];
}

function workspaces(): Workspace[] {
  const dirs = [
    ...readdirSync(join(ROOT, 'packages')).map((d) => join(ROOT, 'packages', d)),
    join(ROOT, 'functions'),
    join(ROOT, 'infra'),
  ];
  return dirs
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false }) !== undefined)
    .map((dir) => {
      const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name as string;
      const candidates =
        name === '@squash/functions'
          ? ['coordinator', 'fanout', 'processor', 'compactor']
          : ['src', 'lib', 'bin'];
      return { name, dir, sourceDirs: candidates.map((c) => join(dir, c)).filter((d) => exists(d)) };
    });
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(entry.name) && !/\.generated\./.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('layers', () => {
  const all = workspaces();

  it('every workspace has a rank', () => {
    for (const ws of all) expect([ws.name, RANK[ws.name]]).toEqual([ws.name, expect.any(Number)]);
  });

  it('shipped source imports only lower layers, declared as dependencies, and never test code', () => {
    const problems: string[] = [];
    for (const ws of all) {
      const declared = JSON.parse(readFileSync(join(ws.dir, 'package.json'), 'utf8')).dependencies ?? {};
      for (const file of ws.sourceDirs.flatMap(sourceFiles)) {
        const where = relative(ROOT, file);
        for (const spec of importsOf(file)) {
          if (spec.startsWith('.')) {
            const target = resolve(dirname(file), spec);
            if (!target.startsWith(`${ws.dir}/`))
              problems.push(`${where} reaches outside its workspace: ${spec}`);
            if (
              /\/(test|e2e|bench)\//.test(relative(ws.dir, target)) ||
              /(^|\/)test\//.test(relative(ROOT, target))
            )
              problems.push(`${where} imports test or bench code: ${spec}`);
            continue;
          }
          const pkg = spec.startsWith('@squash/') ? spec.split('/').slice(0, 2).join('/') : undefined;
          if (pkg === undefined || pkg === ws.name) continue;
          if (!(pkg in declared)) problems.push(`${where} imports ${pkg}, not a dependency of ${ws.name}`);
          if ((RANK[pkg] ?? 99) >= (RANK[ws.name] ?? -1) && !(RANK[pkg] === 0 && RANK[ws.name] === 0))
            problems.push(`${where}: ${ws.name} (rank ${RANK[ws.name]}) imports ${pkg} (rank ${RANK[pkg]})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('core stays pure: no node:* modules, no process.env, no AWS SDK', () => {
    const core = all.find((ws) => ws.name === '@squash/core')!;
    const problems = core.sourceDirs.flatMap(sourceFiles).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [
        ...importsOf(file).filter((s) => s.startsWith('node:') || s.startsWith('@aws-sdk/')),
        ...(/process\.env/.test(text) ? ['process.env'] : []),
      ].map((what) => `${relative(ROOT, file)}: ${what}`);
    });
    expect(problems).toEqual([]);
  });

  it('no workspace has an import circle among its own modules', () => {
    const cycles: string[] = [];
    for (const ws of all) {
      const files = ws.sourceDirs.flatMap(sourceFiles);
      const graph = new Map(
        files.map((file) => [
          file,
          importsOf(file)
            .filter((s) => s.startsWith('.'))
            .map((s) => resolve(dirname(file), s))
            .filter((t) => files.includes(t)),
        ]),
      );
      const state = new Map<string, 'open' | 'done'>();
      const visit = (file: string, path: string[]): void => {
        if (state.get(file) === 'done') return;
        if (state.get(file) === 'open') {
          cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(' -> '));
          return;
        }
        state.set(file, 'open');
        for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
        state.set(file, 'done');
      };
      for (const file of files) visit(file, []);
    }
    expect(cycles).toEqual([]);
  });
});
