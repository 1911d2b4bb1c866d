import { MemoryBlobStore } from '../src/memory-blob-store.ts';
import { runBlobStoreSuite } from './blob-store-suite.ts';

runBlobStoreSuite('memory', { newStore: async () => new MemoryBlobStore() });
