import { join } from 'node:path';
import { buildSampleIndex, type SquashServer, startSquashServer } from '@squash/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { squash, useTempDir } from './cli-harness.ts';

const temp = useTempDir('squash-query-cli-');
let server: SquashServer | undefined;
let vector: number[] = [];

beforeAll(async () => {
  const sample = await buildSampleIndex(join(temp.path, 'mnist'));
  vector = sample.sampleQuery.vector;
  server = await startSquashServer({ indexes: [sample.dir], port: 0, bundleDir: join(temp.path, 'bundles') });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe('squash query', () => {
  it('queries squash serve through the client and prints one JSON line per query', async () => {
    const run = await squash(temp.path, [
      'query',
      '--url',
      server!.url,
      '--index',
      'mnist',
      '--vector',
      JSON.stringify(vector),
      '--k',
      '3',
      '--filter',
      '{"label": 3}',
      '--attributes',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const line = JSON.parse(run.stdout.trim()) as {
      ids: string[];
      distances: number[];
      attributes: Array<{ label: number }>;
      complete: boolean;
    };
    expect(line.ids).toHaveLength(3);
    expect(line.complete).toBe(true);
    expect(line.attributes.map((a) => a.label)).toEqual([3, 3, 3]);
    expect(line.distances).toEqual([...line.distances].sort((a, b) => a - b));
  });

  it('exits 1 with the API error code for an unknown index, and 2 for a malformed vector', async () => {
    const missing = await squash(temp.path, [
      'query',
      '--url',
      server!.url,
      '--index',
      'nope',
      '--vector',
      '[1]',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/index "nope" does not exist/);
    const malformed = await squash(temp.path, [
      'query',
      '--url',
      server!.url,
      '--index',
      'mnist',
      '--vector',
      '[1,"a"]',
    ]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--vector must be a JSON array of numbers/);
  });
});
