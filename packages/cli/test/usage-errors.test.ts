import { join } from 'node:path';
import { writeFvecs } from '@squash/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { squash, useTempDir } from './cli-harness.ts';

const tmp = useTempDir();
const BUILD = ['build', '--input', 'base.fvecs', '--out', 'idx', '--name', 'demo'];

beforeAll(async () => {
  await writeFvecs(
    join(tmp.path, 'base.fvecs'),
    Float32Array.from({ length: 40 }, (_, i) => i % 7),
    4,
  );
});

/** A usage error: exit 2, nothing on stdout, one line naming the problem plus the help hint. */
async function expectUsage(argv: readonly string[], message: RegExp, command = argv[0]!): Promise<void> {
  const run = await squash(tmp.path, argv);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines.at(-2)).toMatch(message);
  expect(lines.at(-1)).toBe(`see squash ${command} --help`);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('squash build usage errors', () => {
  it('rejects a missing --input naming the flag', async () => {
    await expectUsage(['build', '--out', 'idx', '--name', 'demo'], /^squash build: --input is required/);
  });

  it('rejects a missing --out and --name', async () => {
    await expectUsage(['build', '--input', 'base.fvecs', '--name', 'demo'], /--out is required/);
    await expectUsage(['build', '--input', 'base.fvecs', '--out', 'idx'], /--name is required/);
  });

  it('rejects an unknown --metric and lists the allowed ones', async () => {
    await expectUsage(
      [...BUILD, '--metric', 'manhattan'],
      /--metric is "manhattan"; allowed: l2, ip, cosine|allowed: .*l2.*cosine/,
    );
  });

  it('rejects a non-integer or out-of-range --partitions', async () => {
    await expectUsage(
      [...BUILD, '--partitions', 'four'],
      /--partitions is "four"; allowed: an integer from 1 to/,
    );
    await expectUsage([...BUILD, '--partitions', '2.5'], /--partitions is "2.5"/);
    await expectUsage([...BUILD, '--partitions', '0'], /--partitions is "0"/);
  });

  it('rejects --partitions above the row count once the input is read', async () => {
    await expectUsage(
      [...BUILD, '--partitions', '11'],
      /--partitions is 11; allowed: 1 to the row count of base.fvecs \(10\)/,
    );
  });

  it('rejects --leanvec-dim above the input dimension and bad --bits-per-dim and --seed', async () => {
    await expectUsage(
      [...BUILD, '--leanvec-dim', '5'],
      /--leanvec-dim is 5; allowed: 1 to the dimension of base.fvecs \(4\)/,
    );
    await expectUsage(
      [...BUILD, '--bits-per-dim', '9'],
      /--bits-per-dim is "9"; allowed: an integer from 1 to 8/,
    );
    await expectUsage([...BUILD, '--seed', '-1'], /--seed needs a value|--seed is "-1"/);
    await expectUsage([...BUILD, '--seed=-1'], /--seed is "-1"; allowed: an integer from 0/);
  });

  it('rejects an unknown flag and lists the allowed ones', async () => {
    await expectUsage([...BUILD, '--nprobe', '3'], /unknown flag --nprobe; allowed: --input, --out/);
  });

  it('rejects a flag without its value', async () => {
    await expectUsage(['build', '--out', 'idx', '--name', 'demo', '--input'], /--input needs a value/);
  });

  it('rejects a flag given twice', async () => {
    await expectUsage([...BUILD, '--metric', 'l2', '--metric', 'ip'], /--metric is given more than once/);
  });

  it('rejects a positional argument', async () => {
    await expectUsage([...BUILD, 'extra'], /unexpected argument "extra"/);
  });

  it('rejects --queries with the l2 metric (LeanVec-OOD needs ip or cosine)', async () => {
    await expectUsage(
      [...BUILD, '--queries', 'base.fvecs'],
      /--queries .*--metric cosine or ip; --metric is l2/,
    );
    await expectUsage([...BUILD, '--metric', 'l2', '--queries', 'base.fvecs'], /--queries/);
  });

  it('rejects an --attributes value that is neither a known file type nor name=file', async () => {
    await expectUsage(
      [...BUILD, '--attributes', 'labels.txt'],
      /--attributes is "labels.txt"; allowed: a .jsonl/,
    );
    await expectUsage([...BUILD, '--attributes', '$bad=labels.idx'], /starts with "\$"/);
  });

  it('rejects a malformed --out URI', async () => {
    await expectUsage(
      ['build', '--input', 'base.fvecs', '--out', 'ftp://host/x', '--name', 'demo'],
      /--out is "ftp:\/\/host\/x"/,
    );
  });
});

describe('squash search usage errors', () => {
  const SEARCH = ['search', '--index', 'idx', '--queries', 'base.fvecs'];

  it('rejects missing --index and --queries', async () => {
    await expectUsage(['search', '--queries', 'base.fvecs'], /--index is required/);
    await expectUsage(['search', '--index', 'idx'], /--queries is required/);
  });

  it('rejects a --filter that is not JSON', async () => {
    await expectUsage(
      [...SEARCH, '--filter', '{label: 3}'],
      /--filter is not valid JSON .*allowed: a JSON object/,
    );
  });

  it('rejects a bad --k', async () => {
    await expectUsage([...SEARCH, '--k', 'ten'], /--k is "ten"; allowed: an integer from 1 to 10000/);
    await expectUsage([...SEARCH, '--k', '0'], /--k is "0"/);
    await expectUsage([...SEARCH, '--k', '10001'], /--k is "10001"/);
  });
});

describe('other commands usage errors', () => {
  it('inspect, versions and gc need the index location', async () => {
    await expectUsage(['inspect'], /missing the index location <uri>/);
    await expectUsage(['versions'], /missing the index location <uri>/);
    await expectUsage(['gc', '--keep', '2'], /missing the index location <uri>/);
  });

  it('gc needs a positive integer --keep', async () => {
    await expectUsage(['gc', 'idx'], /--keep is required/);
    await expectUsage(['gc', 'idx', '--keep', '0'], /--keep is "0"; allowed: an integer from 1/);
  });

  it('inspect takes no value for --verify and one location only', async () => {
    await expectUsage(['inspect', 'idx', '--verify=yes'], /--verify takes no value/);
    await expectUsage(['inspect', 'idx', 'other'], /unexpected argument "other"; expected only <uri>/);
  });

  it('an unknown command exits 2 and lists the commands', async () => {
    const run = await squash(tmp.path, ['deploy']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /unknown command "deploy"; allowed: bench, build, search, query, inspect, serve, versions, gc, compact, upsert, delete$/m,
    );
  });

  it('no command prints the overview to stderr and exits 2', async () => {
    const run = await squash(tmp.path, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: squash <command>/);
  });
});

describe('--help', () => {
  it.each([
    ['build', /^Usage: squash build --input <file> --out/],
    ['search', /^Usage: squash search --index <uri> --queries <file>/],
    ['inspect', /^Usage: squash inspect <uri> \[--verify\]/],
    ['versions', /^Usage: squash versions <uri>/],
    ['gc', /^Usage: squash gc <uri> --keep <N>/],
  ])('squash %s --help prints its usage to stdout and exits 0', async (command, usage) => {
    for (const flag of ['--help', '-h']) {
      const run = await squash(tmp.path, [command, flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(usage);
      expect(run.stderr).toBe('');
    }
  });

  it('--help wins over other, even invalid, flags', async () => {
    const run = await squash(tmp.path, ['build', '--bogus', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: squash build/);
  });

  it('squash --help and squash help <command> print help and exit 0', async () => {
    const top = await squash(tmp.path, ['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n {2}bench/);
    const topic = await squash(tmp.path, ['help', 'gc']);
    expect(topic.code).toBe(0);
    expect(topic.stdout).toMatch(/^Usage: squash gc/);
  });
});
