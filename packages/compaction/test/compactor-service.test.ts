import type { CompactionReportWire, CompactorRequest } from '@squash/contracts';
import { createIndex, LOG_PREFIX, loadManifest } from '@squash/index-format';
import { type BlobStore, MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { CompactorService } from '../src/compactor-service.ts';
import { definition, deletes, upserts } from './support/fixtures.ts';
import { type LiveSet, normalized, readLiveSet, write } from './support/live-set.ts';

/** A root store holding the catalog and the index `docs` under `docs/`, addressed by URI. */
function stores(): { root: MemoryBlobStore; open: (uri: string) => BlobStore } {
  const root = new MemoryBlobStore();
  const open = (uri: string): BlobStore => {
    if (uri === 'memory://root') return root;
    if (uri === 'memory://root/docs') return prefixed(root, 'docs/');
    throw new Error(`unexpected store ${uri}`);
  };
  return { root, open };
}

describe('CompactorService', () => {
  it('compacts with the catalog definition and sends each affected partition to an invocation of itself', async () => {
    const { root, open } = stores();
    await createIndex(root, definition());
    const index = open('memory://root/docs');
    const model: LiveSet = new Map();
    await write(index, model, upserts(0, 2500));
    const calls: CompactorRequest[] = [];
    const worker = new CompactorService({ openStore: open, functionName: 'self', maxPayloadBytes: 1 << 20 });
    const invoker = {
      invoke: async (name: string, payload: unknown) => {
        expect(name).toBe('squash-compactor');
        calls.push(payload as CompactorRequest);
        return JSON.parse(JSON.stringify(await worker.handle(payload as CompactorRequest)));
      },
    };
    const service = new CompactorService({
      openStore: open,
      invoker,
      functionName: 'squash-compactor',
      maxPayloadBytes: 1 << 20,
    });
    const request = { kind: 'compact', indexUri: 'memory://root/docs', index: 'docs' } as const;
    const first = (await service.handle(request)) as CompactionReportWire;
    expect(first.mode).toBe('full');
    expect(calls).toEqual([]);
    await write(index, model, [...upserts(2500, 2600), ...deletes(['doc-1', 'doc-2'])]);
    const second = (await service.handle(request)) as CompactionReportWire;
    expect(second.mode).toBe('incremental');
    expect(calls.map((c) => c.kind)).toEqual(Array(second.partitionsRewritten).fill('partition'));
    expect(normalized(await readLiveSet(index))).toEqual(normalized(model));
  });

  it('rebuilds a partition in the calling invocation when its request would be too large to send', async () => {
    const { root, open } = stores();
    await createIndex(root, definition());
    const index = open('memory://root/docs');
    const model: LiveSet = new Map();
    await write(index, model, upserts(0, 2500));
    const invoker = { invoke: async () => expect.unreachable('no invocation fits 100 bytes') };
    const service = new CompactorService({
      openStore: open,
      invoker,
      functionName: 'self',
      maxPayloadBytes: 100,
    });
    const request = { kind: 'compact', indexUri: 'memory://root/docs', index: 'docs' } as const;
    await service.handle(request);
    await write(index, model, upserts(2500, 2550));
    expect(await service.handle(request)).toMatchObject({ mode: 'incremental' });
    expect(normalized(await readLiveSet(index))).toEqual(normalized(model));
    expect((await loadManifest(index)).count).toBe(2550);
    let entries = 0;
    for await (const _ of index.list(LOG_PREFIX)) entries++;
    expect(entries).toBe(1);
  });

  it('rejects an unknown event kind with INVALID_ARGUMENT', async () => {
    const { open } = stores();
    const service = new CompactorService({ openStore: open, functionName: 'self', maxPayloadBytes: 1 });
    await expect(
      service.handle({ kind: 'explode', indexUri: 'memory://root/docs', index: 'docs' } as never),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

/** `inner` seen from `prefix`: what opening `memory://root/docs` gives in this test. */
function prefixed(inner: BlobStore, prefix: string): BlobStore {
  return {
    get: (key) => inner.get(prefix + key),
    getRange: (key, offset, length) => inner.getRange(prefix + key, offset, length),
    put: (key, bytes, options) => inner.put(prefix + key, bytes, options),
    putStream: (key, chunks, options) => inner.putStream(prefix + key, chunks, options),
    head: (key) => inner.head(prefix + key),
    async *list(p) {
      for await (const entry of inner.list(prefix + p))
        yield { ...entry, key: entry.key.slice(prefix.length) };
    },
    delete: (key) => inner.delete(prefix + key),
    deletePrefix: (p) => inner.deletePrefix(prefix + p),
  };
}
