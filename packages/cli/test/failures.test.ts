import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFvecs, writeIdx } from '@squash/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { watchInterrupts } from '../src/index.ts';
import { squash, useTempDir } from './cli-harness.ts';

const tmp = useTempDir();
const N = 30;
const DIM = 4;

beforeAll(async () => {
  const base = Float32Array.from({ length: N * DIM }, (_, i) => (i * 7919) % 13);
  await writeFvecs(join(tmp.path, 'base.fvecs'), base, DIM);
  await writeIdx(
    join(tmp.path, 'labels-idx1-ubyte'),
    Uint8Array.from({ length: N }, (_, i) => i % 3),
    [N],
  );
  await writeIdx(
    join(tmp.path, 'short-labels-idx1-ubyte'),
    Uint8Array.from({ length: N - 1 }, (_, i) => i % 3),
    [N - 1],
  );
  await writeFile(
    join(tmp.path, 'attrs.jsonl'),
    Array.from({ length: N + 2 }, (_, i) => JSON.stringify({ shop: `s${i % 4}` })).join('\n'),
  );
  const bytes = await readFile(join(tmp.path, 'base.fvecs'));
  await writeFile(join(tmp.path, 'truncated.fvecs'), bytes.subarray(0, bytes.length - 6));
  await writeFile(join(tmp.path, 'garbage.fvecs.gz'), 'not gzip at all');
  await writeFile(join(tmp.path, 'schema-bad-type.json'), JSON.stringify({ label: { type: 'int' } }));
  await writeFile(join(tmp.path, 'schema-not-json.json'), '{"label": ');
  await writeFile(
    join(tmp.path, 'schema-unknown-attribute.json'),
    JSON.stringify({ colour: { type: 'category' } }),
  );
});

const build = (...extra: string[]): string[] => ['build', '--out', 'idx', '--name', 'demo', ...extra];

/** A failure: exit 1, one `squash: ...` line naming the file, no stack trace. */
async function expectFailure(argv: readonly string[], message: RegExp): Promise<string> {
  const run = await squash(tmp.path, argv);
  expect(run.code).toBe(1);
  const last = run.stderr.trimEnd().split('\n').at(-1)!;
  expect(last).toMatch(/^squash: /);
  expect(last).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return run.stderr;
}

describe('squash build failures', () => {
  it('names a missing input file', async () => {
    await expectFailure(
      build('--input', 'missing.fvecs'),
      /^squash: missing.fvecs: cannot be read \(ENOENT\)/,
    );
  });

  it('names a truncated input file and the byte offset', async () => {
    await expectFailure(build('--input', 'truncated.fvecs'), /^squash: truncated.fvecs at byte \d+: /);
  });

  it('names a .gz input that is not gzip data', async () => {
    await expectFailure(build('--input', 'garbage.fvecs.gz'), /garbage.fvecs.gz at byte 0: .*gzip magic/);
  });

  it('names an unsupported input extension', async () => {
    await writeFile(join(tmp.path, 'vectors.txt'), '1 2 3');
    await expectFailure(build('--input', 'vectors.txt'), /vectors.txt: unrecognised file extension/);
  });

  it('names both files when the attribute rows do not match the vectors', async () => {
    await expectFailure(
      build('--input', 'base.fvecs', '--attributes', 'label=short-labels-idx1-ubyte'),
      /short-labels-idx1-ubyte: has 29 attribute rows but base.fvecs has 30 vectors/,
    );
    await expectFailure(
      build('--input', 'base.fvecs', '--attributes', 'attrs.jsonl'),
      /attrs.jsonl: has 32 attribute rows but base.fvecs has 30 vectors/,
    );
  });

  it('names a missing attribute file', async () => {
    await expectFailure(
      build('--input', 'base.fvecs', '--attributes', 'label=nope-idx1-ubyte'),
      /nope-idx1-ubyte: cannot be read/,
    );
  });

  it('rejects a schema with an unknown type, invalid JSON, or an attribute no source gives', async () => {
    const labels = ['--input', 'base.fvecs', '--attributes', 'label=labels-idx1-ubyte'];
    await expectFailure(
      build(...labels, '--schema', 'schema-bad-type.json'),
      /schema-bad-type.json: attribute "label" has type string "int"; allowed: number, integer, category, boolean/,
    );
    await expectFailure(
      build(...labels, '--schema', 'schema-not-json.json'),
      /schema-not-json.json: invalid JSON/,
    );
    await expectFailure(
      build(...labels, '--schema', 'schema-unknown-attribute.json'),
      /schema-unknown-attribute.json: declares attribute "colour", which no attribute source provides; provided: label/,
    );
    await expectFailure(
      build(...labels, '--schema', 'missing-schema.json'),
      /missing-schema.json: cannot be read/,
    );
  });

  it('names the query file when its dimension differs from the input', async () => {
    await writeFvecs(join(tmp.path, 'q3.fvecs'), new Float32Array(9).fill(1), 3);
    await expectFailure(
      build('--input', 'base.fvecs', '--metric', 'ip', '--queries', 'q3.fvecs'),
      /q3.fvecs: queries have 3 dimensions; the vectors in base.fvecs have 4/,
    );
  });

  it('refuses an --out it cannot write before reading any input', async () => {
    await writeFile(join(tmp.path, 'a-file'), 'not a directory');
    // The input does not exist either: the --out check comes first, so it is what is reported.
    const run = await squash(tmp.path, [
      'build',
      '--out',
      'a-file/idx',
      '--name',
      'demo',
      '--input',
      'missing.fvecs',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out a-file\/idx cannot be written .*nothing was built/);
    expect(run.stderr).not.toMatch(/missing\.fvecs/);
  });

  it('never creates CURRENT when a build fails', async () => {
    await squash(tmp.path, build('--input', 'truncated.fvecs'));
    expect(existsSync(join(tmp.path, 'idx', 'CURRENT'))).toBe(false);
  });

  it('prints the stack trace only with SQUASH_DEBUG=1', async () => {
    const run = await squash(tmp.path, build('--input', 'missing.fvecs'), { env: { SQUASH_DEBUG: '1' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('exits 130 without publishing when interrupted', async () => {
    const signals: Array<() => void> = [];
    const watch = watchInterrupts({
      on: (_event, listener) => signals.push(listener),
      off: () => undefined,
      exit: () => {
        throw new Error('unexpected exit');
      },
    });
    signals[0]!(); // Ctrl-C before the first stage ends
    const run = await squash(
      tmp.path,
      ['build', '--input', 'base.fvecs', '--out', 'interrupted', '--name', 'demo'],
      {
        interrupts: watch,
      },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/squash: interrupted; nothing was published \(CURRENT is unchanged\)\n$/);
    expect(existsSync(join(tmp.path, 'interrupted', 'CURRENT'))).toBe(false);
  });
});

describe('squash search, inspect and versions failures', () => {
  it('reports a location with no index as INDEX_NOT_FOUND-style message', async () => {
    const search = await expectFailure(
      ['search', '--index', 'no-index-here', '--queries', 'base.fvecs'],
      /no index here/,
    );
    expect(search).not.toContain('Error:');
    await expectFailure(['inspect', 'no-index-here'], /no index here/);
  });
});
