import { ENV, FUNCTION_SETTINGS } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('takes every default from the settings table when the environment is empty', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      indexes: FUNCTION_SETTINGS.indexes.default,
      fanoutFunction: FUNCTION_SETTINGS.fanoutFunction.default,
      processorFunctions: FUNCTION_SETTINGS.processorFunctions.default,
      partitionsPerProcessor: FUNCTION_SETTINGS.partitionsPerProcessor.default,
      branching: FUNCTION_SETTINGS.branching.default,
      invokeTimeoutMs: FUNCTION_SETTINGS.invokeTimeoutMs.default,
      requestTimeoutMs: FUNCTION_SETTINGS.requestTimeoutMs.default,
      deadlineMarginMs: FUNCTION_SETTINGS.deadlineMarginMs.default,
      versionCheckMs: FUNCTION_SETTINGS.versionCheckMs.default,
      partitionCacheMb: FUNCTION_SETTINGS.partitionCacheMb.default,
      storeRoots: FUNCTION_SETTINGS.storeRoots.default,
      logLevel: FUNCTION_SETTINGS.logLevel.default,
      indexRoot: FUNCTION_SETTINGS.indexRoot.default,
      compactionTailRows: FUNCTION_SETTINGS.compactionTailRows.default,
      compactorFunction: FUNCTION_SETTINGS.compactorFunction.default,
    });
  });

  it('reads each variable named in the table', () => {
    const config = loadConfig({
      [ENV.indexes]: '{"mnist":"s3://b/indexes/mnist"}',
      [ENV.processorFunctions]: '["p0","p1"]',
      [ENV.branching]: '4',
      [ENV.versionCheckMs]: '0',
      [ENV.logLevel]: 'debug',
      [ENV.indexRoot]: 's3://b/indexes',
      [ENV.compactionTailRows]: '500',
      [ENV.compactorFunction]: 'my-compactor',
    });
    expect([config.indexRoot, config.compactionTailRows, config.compactorFunction]).toEqual([
      's3://b/indexes',
      500,
      'my-compactor',
    ]);
    expect(config.indexes).toEqual({ mnist: 's3://b/indexes/mnist' });
    expect(config.processorFunctions).toEqual(['p0', 'p1']);
    expect([config.branching, config.versionCheckMs, config.logLevel]).toEqual([4, 0, 'debug']);
  });

  it('rejects a value out of range or of the wrong shape, naming the variable and what is allowed', () => {
    expect(() => loadConfig({ [ENV.branching]: '1' })).toThrow(
      'SQUASH_BRANCHING is "1"; allowed: an integer 2..1000',
    );
    expect(() => loadConfig({ [ENV.processorFunctions]: '[]' })).toThrow(
      /SQUASH_PROCESSOR_FUNCTIONS.*non-empty/,
    );
    expect(() => loadConfig({ [ENV.logLevel]: 'loud' })).toThrow('allowed: debug, info, warn, error');
    expect(() => loadConfig({ [ENV.indexes]: `{"a":${'1'.repeat(10_000)}}` })).toThrow(/more characters/);
  });
});
