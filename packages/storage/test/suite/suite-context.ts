import { it } from 'vitest';
import type { BlobStore } from '../../src/blob-store.ts';
import type { BlobStoreSuiteOptions } from '../blob-store-suite.ts';

/** What each group of conformance cases gets from `runBlobStoreSuite`. */
export interface SuiteContext {
  /** The fresh store of the running case. */
  readonly store: () => BlobStore;
  readonly knownDefects: NonNullable<BlobStoreSuiteOptions['knownDefects']>;
}

/**
 * `it`, skipped with the reason in its name when the back end has the named known defect, so a
 * skipped case stays visible in every report.
 */
export function itUnlessDefect(defect: string | undefined, name: string, body: () => Promise<void>): void {
  it.skipIf(defect !== undefined)(defect === undefined ? name : `${name} (skipped: ${defect})`, body);
}
