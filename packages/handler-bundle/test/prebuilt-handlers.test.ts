import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLER_ENTRIES } from '@squash/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  functionKinds,
  PREBUILT_MANIFEST_FILE,
  packagedHandlers,
  readPrebuiltHandlers,
} from '../src/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-prebuilt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `<kind>/index.mjs` for `kinds` and a manifest naming them. */
async function writeLayout(kinds: readonly string[], format = 1): Promise<void> {
  const handlers: Record<string, string> = {};
  for (const kind of kinds) {
    await mkdir(join(dir, kind), { recursive: true });
    await writeFile(join(dir, kind, 'index.mjs'), 'export const handler = async () => 1;\n');
    handlers[kind] = `${kind}/index.mjs`;
  }
  await writeFile(join(dir, PREBUILT_MANIFEST_FILE), JSON.stringify({ format, handlers }));
}

describe('prebuilt handler bundles', () => {
  it('lists one function per HANDLER_ENTRIES entry', () => {
    expect(functionKinds()).toEqual(Object.keys(HANDLER_ENTRIES));
  });

  it('returns undefined for a directory without a manifest', () => {
    expect(readPrebuiltHandlers(dir)).toBeUndefined();
    expect(readPrebuiltHandlers(join(dir, 'absent'))).toBeUndefined();
  });

  it('returns the bundle file of every function named by the manifest', async () => {
    await writeLayout(functionKinds());
    const bundles = readPrebuiltHandlers(dir);
    expect(bundles).toEqual(
      Object.fromEntries(functionKinds().map((kind) => [kind, join(dir, kind, 'index.mjs')])),
    );
  });

  it('rejects a manifest that lacks a function, naming it', async () => {
    const [missing, ...rest] = functionKinds();
    await writeLayout(rest);
    expect(() => readPrebuiltHandlers(dir)).toThrow(`has no bundle for the ${missing} function`);
  });

  it('rejects a manifest of another format', async () => {
    await writeLayout(functionKinds(), 2);
    expect(() => readPrebuiltHandlers(dir)).toThrow('has format 2; this code reads format 1');
  });

  it('finds no packaged bundles inside the repository, so handlers are bundled from source', () => {
    expect(packagedHandlers()).toBeUndefined();
  });
});
