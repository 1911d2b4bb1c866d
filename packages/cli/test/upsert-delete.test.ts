import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';
import { SeededRandom } from '@squash/core';
import { foldLog, type LogEntry, readLog } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../src/interrupt.ts';
import { squash, useTempDir } from './cli-harness.ts';

const tmp = useTempDir('squash-writes-cli-');
const random = new SeededRandom(14);

interface Row {
  id: string;
  vector: number[];
  attributes?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

function rows(n: number, dim: number, prefix = 'r'): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    vector: Array.from({ length: dim }, () => Math.fround(random.nextGaussian())),
    attributes: { genre: i % 2 === 0 ? 'poetry' : 'prose', year: 1800 + (i % 200) },
    metadata: { title: `book ${i}` },
  }));
}

async function writeJsonl(name: string, lines: readonly unknown[]): Promise<string> {
  await writeFile(
    join(tmp.path, name),
    lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'),
  );
  return name;
}

const SCHEMA = { genre: { type: 'category' }, year: { type: 'integer' } };
const CREATE = ['--create-dim', '4', '--create-metric', 'cosine', '--schema', 'schema.json'];

async function logOf(root: string, index: string): Promise<LogEntry[]> {
  return readLog(new FilesystemBlobStore({ rootDir: join(tmp.path, root, index) }));
}

describe('squash upsert --store', () => {
  it('creates the index, sends 2,500 rows as 1000 + 1000 + 500 and stores every field', async () => {
    await writeFile(join(tmp.path, 'schema.json'), JSON.stringify(SCHEMA));
    const input = rows(2500, 4);
    await writeJsonl('books.jsonl', input);
    const run = await squash(tmp.path, [
      'upsert',
      '--store',
      'root',
      '--index',
      'books',
      '--input',
      'books.jsonl',
      ...CREATE,
    ]);
    expect(run.stderr).not.toMatch(/squash:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^upserted\s+2500 rows in 3 requests \(input lines 1\.\.2500\)$/m);
    expect(run.stdout).toMatch(/^sequence\s+3 /m);
    expect(run.stdout).toMatch(/^rate\s+\d+ rows\/s/m);
    expect(run.stdout).toMatch(/created\s+index books/);
    expect(run.stdout).toMatch(/squash compact root\/books/);
    const log = await logOf('root', 'books');
    expect(log.map((e) => e.ops.length)).toEqual([1000, 1000, 500]);
    const tail = foldLog(log);
    expect(tail.rows.size).toBe(2500);
    const row = tail.rows.get('r1777')!;
    expect(Array.from(row.vector)).toEqual(input[1777]!.vector);
    expect(row.attributes).toEqual(input[1777]!.attributes);
    expect(row.metadata).toEqual(input[1777]!.metadata);
    expect(row.sequence).toBe(2);
  });

  it('accepts the same definition again, honours --batch and prints one JSON object', async () => {
    await writeJsonl('more.jsonl', rows(700, 4, 'm'));
    const run = await squash(tmp.path, [
      'upsert',
      '--store',
      'root',
      '--index',
      'books',
      '--input',
      'more.jsonl',
      '--batch',
      '300',
      '--json',
      ...CREATE,
    ]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      index: 'books',
      rows: 700,
      requests: 3,
      sequence: 6,
      lastLine: 700,
      created: false,
    });
    expect(summary.rowsPerSecond).toBeGreaterThan(0);
    expect((await logOf('root', 'books')).slice(3).map((e) => e.ops.length)).toEqual([300, 300, 100]);
  });

  it('refuses a different definition with INDEX_EXISTS and writes nothing', async () => {
    await writeJsonl('one.jsonl', rows(1, 4, 'x'));
    const run = await squash(tmp.path, [
      ...['upsert', '--store', 'root', '--index', 'books', '--input', 'one.jsonl'],
      ...['--create-dim', '8', '--create-metric', 'l2'],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/index "books" exists with dim 4, metric cosine.*asks for dim 8, metric l2/);
    expect(await logOf('root', 'books')).toHaveLength(6);
  });

  it('splits requests by bytes: 600 rows of 1024 dimensions never make a body over the API limit', async () => {
    const big = rows(600, 1024, 'big');
    await writeJsonl('big.jsonl', big);
    const run = await squash(tmp.path, [
      ...['upsert', '--store', 'root', '--index', 'wide', '--input', 'big.jsonl', '--json'],
      ...['--create-dim', '1024', '--create-metric', 'l2', '--schema', 'schema.json'],
    ]);
    expect(run.code).toBe(0);
    const log = await logOf('root', 'wide');
    // ~20 KB per row: one request of 600 rows would be ~12 MB.
    expect(log.length).toBeGreaterThan(1);
    expect(log.reduce((sum, e) => sum + e.ops.length, 0)).toBe(600);
    const byId = new Map(big.map((r) => [r.id, r]));
    for (const entry of log) {
      const body = JSON.stringify({ vectors: entry.ops.map((op) => byId.get(op.id)) });
      expect(Buffer.byteLength(body)).toBeLessThan(MAX_SYNC_PAYLOAD_BYTES);
    }
    expect(JSON.parse(run.stdout).requests).toBe(log.length);
  });

  it('stops at a refused row with its line number and code; earlier requests stay, nothing of its request is written', async () => {
    const input: unknown[] = rows(1500, 4, 'bad');
    input[1199] = { id: 'bad1199', vector: [1, 2, 3] };
    await writeJsonl('bad.jsonl', input);
    const run = await squash(tmp.path, [
      ...['upsert', '--store', 'root', '--index', 'bad', '--input', 'bad.jsonl', '--json'],
      ...['--create-dim', '4', '--create-metric', 'l2', '--schema', 'schema.json'],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /bad\.jsonl line 1200: DIMENSION_MISMATCH: vectors\[199\]\.vector has 3 dimensions; the index expects 4/,
    );
    expect(run.stderr).toMatch(
      /1000 rows were acknowledged before it \(lines 1\.\.1000, up to log sequence 1/,
    );
    expect(run.stderr).toMatch(/nothing of the request for lines 1001\.\.1500 was written/);
    expect(JSON.parse(run.stdout)).toMatchObject({
      rows: 1000,
      lastLine: 1000,
      error: { code: 'DIMENSION_MISMATCH', line: 1200 },
    });
    const tail = foldLog(await logOf('root', 'bad'));
    expect(tail.rows.size).toBe(1000);
    expect(tail.rows.has('bad1000')).toBe(false);
  });

  it('stops at a line that is not JSON, before sending the request it would have joined', async () => {
    const input: unknown[] = rows(30, 4, 'j');
    input[24] = '{"id": "j24", "vector": [1, 2,';
    await writeJsonl('broken.jsonl', input);
    const run = await squash(tmp.path, [
      ...['upsert', '--store', 'root', '--index', 'broken', '--input', 'broken.jsonl', '--batch', '10'],
      ...['--create-dim', '4', '--create-metric', 'l2', '--schema', 'schema.json'],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\.jsonl line 25: INVALID_JSON: invalid JSON/);
    expect(run.stderr).toMatch(/20 rows were acknowledged before it \(lines 1\.\.20/);
    expect(run.stderr).toMatch(/nothing after line 20 was sent/);
    expect(foldLog(await logOf('root', 'broken')).rows.size).toBe(20);
  });

  it('sends a repeated id in the next request, so the later line wins', async () => {
    await writeJsonl('dup.jsonl', [
      { id: 'a', vector: [1, 0, 0, 0] },
      { id: 'b', vector: [0, 1, 0, 0] },
      { id: 'a', vector: [0, 0, 0, 9] },
    ]);
    const run = await squash(tmp.path, [
      ...['upsert', '--store', 'root', '--index', 'dup', '--input', 'dup.jsonl'],
      ...['--create-dim', '4', '--create-metric', 'l2', '--schema', 'schema.json'],
    ]);
    expect(run.code).toBe(0);
    const log = await logOf('root', 'dup');
    expect(log.map((e) => e.ops.length)).toEqual([2, 1]);
    expect(Array.from(foldLog(log).rows.get('a')!.vector)).toEqual([0, 0, 0, 9]);
  });

  it('reads rows from standard input with --input -', async () => {
    const input = rows(5, 4, 's');
    const run = await squash(
      tmp.path,
      [
        ...['upsert', '--store', 'root', '--index', 'stdin', '--input', '-'],
        ...['--create-dim', '4', '--create-metric', 'ip', '--schema', 'schema.json'],
      ],
      { stdin: `${input.map((r) => JSON.stringify(r)).join('\r\n')}\n\n` },
    );
    expect(run.code).toBe(0);
    expect(foldLog(await logOf('root', 'stdin')).rows.size).toBe(5);
  });

  it('names the index and how to create it when it does not exist', async () => {
    await writeJsonl('none.jsonl', rows(1, 4, 'n'));
    const run = await squash(tmp.path, [
      ...['upsert', '--store', 'root', '--index', 'missing', '--input', 'none.jsonl'],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/INDEX_NOT_FOUND: index "missing" does not exist/);
    expect(run.stderr).toMatch(/no rows were acknowledged/);
  });

  it('checks the input before it creates the index', async () => {
    const run = await squash(tmp.path, [
      ...['upsert', '--store', 'root', '--index', 'never', '--input', 'absent.jsonl'],
      ...['--create-dim', '4', '--create-metric', 'l2'],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/absent\.jsonl: cannot be read \(ENOENT\)/);
    await expect(readFile(join(tmp.path, 'root', '_indexes', 'never.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('stops between requests on Ctrl-C with exit 130, saying what was acknowledged', async () => {
    await writeJsonl('stop.jsonl', rows(25, 4, 'c'));
    const controller = new AbortController();
    controller.abort(new InterruptedError());
    const run = await squash(
      tmp.path,
      [
        ...['upsert', '--store', 'root', '--index', 'stop', '--input', 'stop.jsonl', '--batch', '10'],
        ...['--create-dim', '4', '--create-metric', 'l2', '--schema', 'schema.json'],
      ],
      { interrupts: { signal: controller.signal, blocking: (work) => work() } },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/10 rows were acknowledged \(lines 1\.\.10, up to log sequence 1\)/);
    expect(run.stderr).toMatch(/squash: interrupted; requests acknowledged before stay applied/);
    expect(foldLog(await logOf('root', 'stop')).rows.size).toBe(10);
  });

  it.each([
    [['--index', 'x', '--input', 'a.jsonl'], 'give exactly one of --url <api>'],
    [
      ['--index', 'x', '--input', 'a.jsonl', '--store', 'r', '--url', 'http://h'],
      'give exactly one of --url',
    ],
    [
      ['--index', 'x', '--input', 'a.jsonl', '--store', 'r', '--api-key', 'k'],
      '--api-key only applies with --url',
    ],
    [['--index', 'x', '--input', 'a.jsonl', '--store', 'r', '--create-dim', '3'], 'go together'],
    [['--index', 'x', '--input', 'a.jsonl', '--store', 'r', '--schema', 's.json'], '--schema only applies'],
    [
      ['--index', 'x', '--input', 'a.jsonl', '--store', 'r', '--batch', '1001'],
      'allowed: an integer from 1 to 1000',
    ],
    [
      ['--index', 'x', '--input', 'a.jsonl', '--store', 'r', '--create-dim', '3', '--create-metric', 'dot'],
      'allowed: l2, ip, cosine',
    ],
    [['--index', 'x', '--input', 'a.jsonl', '--url', 'ftp://h'], 'allowed: an http(s):// URL'],
  ])('rejects %j as a usage error', async (argv, message) => {
    const run = await squash(tmp.path, ['upsert', ...argv]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('squash delete --store', () => {
  it('deletes the ids of a file (bare and JSONL lines) and of --id flags', async () => {
    await writeFile(join(tmp.path, 'ids.txt'), 'r1\n{"id": "r2"}\n\nr3\r\nnever-written\n');
    const file = await squash(tmp.path, [
      ...['delete', '--store', 'root', '--index', 'books', '--ids', 'ids.txt', '--json'],
    ]);
    expect(file.code).toBe(0);
    expect(JSON.parse(file.stdout)).toMatchObject({ rows: 4, requests: 1, lastLine: 5 });
    const flags = await squash(tmp.path, [
      ...['delete', '--store', 'root', '--index', 'books', '--id', 'r4', '--id', 'm5'],
    ]);
    expect(flags.code).toBe(0);
    expect(flags.stdout).toMatch(/^deleted\s+2 ids in 1 request\b/m);
    const tail = foldLog(await logOf('root', 'books'));
    for (const id of ['r1', 'r2', 'r3', 'r4', 'm5']) {
      expect(tail.rows.has(id)).toBe(false);
      expect(tail.deleted.has(id)).toBe(true);
    }
    expect(tail.rows.has('r5')).toBe(true);
  });

  it('sends 2,500 ids as 1000 + 1000 + 500', async () => {
    await writeFile(join(tmp.path, 'many.txt'), Array.from({ length: 2500 }, (_, i) => `r${i}`).join('\n'));
    const before = (await logOf('root', 'books')).length;
    const run = await squash(tmp.path, [
      'delete',
      '--store',
      'root',
      '--index',
      'books',
      '--ids',
      'many.txt',
    ]);
    expect(run.code).toBe(0);
    const log = await logOf('root', 'books');
    expect(log.slice(before).map((e) => e.ops.length)).toEqual([1000, 1000, 500]);
    expect([...foldLog(log).rows.keys()].every((id) => id.startsWith('m'))).toBe(true);
  });

  it('stops at an id the API refuses, naming its line', async () => {
    await writeFile(join(tmp.path, 'badids.txt'), `ok\n{"id": ${JSON.stringify('é'.repeat(300))}}\n`);
    const run = await squash(tmp.path, [
      'delete',
      '--store',
      'root',
      '--index',
      'books',
      '--ids',
      'badids.txt',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/badids\.txt line 2: INVALID_ID: ids\[1\] is 600 UTF-8 bytes long/);
  });

  it('rejects --ids together with --id', async () => {
    const run = await squash(tmp.path, [
      ...['delete', '--store', 'root', '--index', 'books', '--ids', 'ids.txt', '--id', 'a'],
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/give either --ids <file> or one or more --id <id>/);
  });
});
