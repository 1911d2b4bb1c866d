import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SquashClient } from '@squash/client';
import { type CompactRequest, FUNCTION_NAMES } from '@squash/contracts';
import { type SquashServer, startSquashServer } from '@squash/serve';
import { afterAll, beforeAll, expect } from 'vitest';
import { runHttpWritesSuite } from './http-writes-suite.ts';

/**
 * `squash serve --store` on a filesystem store root: the writes suite through the typed client,
 * with the compaction run by the compactor function on the local runtime (the handler the stack
 * deploys, invoked as the stack's writes invoke it, here synchronously so the suite can wait).
 */
let server: SquashServer | undefined;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-serve-writes-'));
  server = await startSquashServer({ store: join(dir, 'store'), port: 0, bundleDir: join(dir, 'bundles') });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

runHttpWritesSuite({
  client: () => new SquashClient({ url: server!.url }),
  indexName: 'books',
  compact: async (index) => {
    const request: CompactRequest = { kind: 'compact', index, indexUri: join(dir, 'store', index) };
    const response = await fetch(
      `${server!.runtimeUrl}/2015-03-31/functions/${FUNCTION_NAMES.compactor}/invocations`,
      { method: 'POST', body: JSON.stringify(request) },
    );
    const report = (await response.json()) as { mode?: string; errorMessage?: string };
    expect(response.status, JSON.stringify(report)).toBe(200);
    expect(report.mode, JSON.stringify(report)).not.toBe('none');
  },
});
