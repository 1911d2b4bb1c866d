import { afterAll, beforeEach, describe } from 'vitest';
import type { BlobStore } from '../src/blob-store.ts';
import { defineConditionalCases } from './suite/conditional-cases.ts';
import { defineKeyCases } from './suite/key-cases.ts';
import { defineListCases } from './suite/list-cases.ts';
import { defineRangeCases } from './suite/range-cases.ts';
import { defineRoundTripCases } from './suite/round-trip-cases.ts';
import { defineStreamCases } from './suite/stream-cases.ts';
import type { SuiteContext } from './suite/suite-context.ts';

/** How `runBlobStoreSuite` gets stores for one adapter. */
export interface BlobStoreSuiteOptions {
  /**
   * Returns an empty store; called before every case, so cases never see each other's objects
   * (for S3: a fresh key prefix in a shared bucket).
   */
  readonly newStore: () => Promise<BlobStore>;
  /** Runs once after every case (remove temp directories, stop servers). */
  readonly cleanup?: () => Promise<void>;
  /**
   * Cases a back end is known to fail for reasons outside squash, each with the reason, which
   * appears in the skipped test's name.
   */
  readonly knownDefects?: {
    /**
     * Listing order of keys where `-` or `.` (which sort before `/`) compete with `/`, e.g.
     * `a-1` < `a.json` < `a/b` < `a0`. s3rver walks its directory tree and gets this wrong.
     */
    readonly listOrderAroundSlash?: string;
    /**
     * A ranged read of a zero-byte object. s3rver treats `bytes=0-N` of an empty object as
     * satisfiable, promises one byte and resets the connection.
     */
    readonly rangeOfEmptyObject?: string;
    /**
     * Concurrent overwrites of one key leaving one whole version. s3rver streams every PUT into
     * the object file in place, so racing PUTs interleave.
     */
    readonly atomicConcurrentOverwrite?: string;
    /** Conditional PUTs (`If-None-Match: *`, `If-Match`), which s3rver ignores. */
    readonly conditionalWrites?: string;
  };
}

/**
 * The one conformance suite every `BlobStore` adapter passes (the Hono pattern: one case file,
 * many routers). Call it at the top level of a test file:
 * `runBlobStoreSuite('memory', { newStore: async () => new MemoryBlobStore() })`.
 */
export function runBlobStoreSuite(name: string, options: BlobStoreSuiteOptions): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let current: BlobStore | undefined;
    beforeEach(async () => {
      current = await options.newStore();
    });
    afterAll(async () => {
      await options.cleanup?.();
    });
    const context: SuiteContext = {
      store: () => {
        if (current === undefined) throw new Error('newStore() has not produced a store yet');
        return current;
      },
      knownDefects: options.knownDefects ?? {},
    };
    describe('get, put, head and delete', () => defineRoundTripCases(context));
    describe('getRange', () => defineRangeCases(context));
    describe('list and deletePrefix', () => defineListCases(context));
    describe('putStream', () => defineStreamCases(context));
    describe('keys', () => defineKeyCases(context));
    describe('conditional writes', () => defineConditionalCases(context));
  });
}
