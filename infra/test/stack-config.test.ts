import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_SETTINGS } from '@squash/contracts';
import { buildIndex } from '@squash/core';
import { publishIndex } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { RemovalPolicy } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalIndexManifest } from '../lib/index-manifest.ts';
import { InfraConfigError } from '../lib/infra-config-error.ts';
import type { SquashStackProps } from '../lib/squash-stack-props.ts';
import { resolveStackConfig, STACK_DEFAULTS } from '../lib/stack-config.ts';
import { configError } from './support/config-error.ts';

const root = mkdtempSync(join(tmpdir(), 'squash-infra-manifest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Publishes a small real index (200 x 4, seeded) with `partitions` partitions, as `squash build` would. */
async function publishedIndex(name: string, partitions: number): Promise<string> {
  const dir = join(root, name);
  const n = 200;
  const dim = 4;
  const vectors = Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 12.9898) * 10);
  const index = buildIndex(vectors, n, dim, { metric: 'l2', partitions, seed: 1 });
  await publishIndex(new FilesystemBlobStore({ rootDir: dir }), index, { name });
  return dir;
}

/** The `InfraConfigError` resolving `props` throws. */
function configErrorOf(props: SquashStackProps) {
  return configError(() => resolveStackConfig(props));
}

describe('resolveStackConfig', () => {
  it('applies the documented defaults when no props are given', () => {
    const config = resolveStackConfig();
    expect(config).toMatchObject({
      indexNames: [],
      indexPrefix: 'indexes',
      partitions: 1,
      partitionsDefaulted: true,
      partitionsPerProcessor: 1,
      processorCount: 1,
      branching: 8,
      coordinatorMemoryMb: 1024,
      processorMemoryMb: 2048,
      fanoutMemoryMb: 512,
      compactorMemoryMb: 3008,
      compactorTimeoutSeconds: 900,
      compactionTailRows: 20_000,
      requestTimeoutMs: 25_000,
      deadlineMarginMs: 500,
      coordinatorTimeoutSeconds: 26,
      fanoutTimeoutSeconds: 25,
      processorTimeoutSeconds: 25,
      invokeTimeoutMs: 12_250,
      provisionedConcurrency: 0,
      auth: 'iam',
      rateLimit: 100,
      burstLimit: 200,
      removalPolicy: RemovalPolicy.RETAIN,
      bundling: 'esbuild',
      httpApi: true,
      logLevel: 'info',
    });
    // The function settings' defaults are the functions' own, not restated here.
    expect(STACK_DEFAULTS).toMatchObject({
      requestTimeoutMs: FUNCTION_SETTINGS.requestTimeoutMs.default,
      deadlineMarginMs: FUNCTION_SETTINGS.deadlineMarginMs.default,
      branching: FUNCTION_SETTINGS.branching.default,
      partitionsPerProcessor: FUNCTION_SETTINGS.partitionsPerProcessor.default,
      logLevel: FUNCTION_SETTINGS.logLevel.default,
      compactionTailRows: FUNCTION_SETTINGS.compactionTailRows.default,
    });
  });

  it('takes the compactor sizing and the tail threshold from props', () => {
    expect(
      resolveStackConfig({ compactorMemoryMb: 10_240, compactorTimeoutSeconds: 60, compactionTailRows: 1 }),
    ).toMatchObject({ compactorMemoryMb: 10_240, compactorTimeoutSeconds: 60, compactionTailRows: 1 });
  });

  it.each([
    [1, 1, 1],
    [10, 3, 4],
    [16, 4, 4],
    [17, 4, 5],
    [5, 8, 1],
  ])(
    'deploys ceil(%i partitions / %i per processor) = %i processors',
    (partitions, perProcessor, expected) => {
      expect(resolveStackConfig({ partitions, partitionsPerProcessor: perProcessor }).processorCount).toBe(
        expected,
      );
    },
  );

  it('takes partitions and the index name from the manifest', () => {
    const config = resolveStackConfig({ manifest: { name: 'mnist', partitions: 6, version: 'v1' } });
    expect(config).toMatchObject({
      partitions: 6,
      indexNames: ['mnist'],
      partitionsDefaulted: false,
      processorCount: 6,
    });
  });

  it('lets explicit partitions and index names win over the manifest', () => {
    const manifest = { name: 'from-manifest', partitions: 2, version: 'v1' };
    const config = resolveStackConfig({ manifest, partitions: 9, indexNames: ['a', 'b'] });
    expect(config).toMatchObject({ partitions: 9, indexNames: ['a', 'b'] });
  });

  it('rejects invalid values with INVALID_INFRA_CONFIG naming the property and the value', () => {
    const cases: Array<[SquashStackProps, string, RegExp]> = [
      [{ partitions: 0 }, 'partitions', /partitions is 0; expected an integer from 1/],
      [{ partitionsPerProcessor: 1.5 }, 'partitionsPerProcessor', /1\.5/],
      [{ branching: 1 }, 'branching', /branching is 1/],
      [{ processorMemoryMb: 64 }, 'processorMemoryMb', /64; expected an integer from 128 to 10240/],
      [{ auth: 'open' as never }, 'auth', /"open"; expected one of iam, lambda, none/],
      [{ bundling: 'docker' as never }, 'bundling', /expected one of esbuild, skip/],
      [{ indexPrefix: '/indexes/' }, 'indexPrefix', /"\/indexes\/" is not allowed/],
      [{ indexPrefix: 'a//b' }, 'indexPrefix', /not allowed/],
      [{ indexNames: ['../x'] }, 'indexNames', /"\.\.\/x" is not allowed/],
      [{ indexNames: ['a', 'a'] }, 'indexNames', /unique/],
      [{ invokeTimeoutMs: 29_000 }, 'invokeTimeoutMs', /to requestTimeoutMs \(25000/],
      [{ logLevel: 'trace' as never }, 'logLevel', /"trace"; expected one of debug, info, warn, error/],
      [{ uploadPrincipalArn: 'bob' }, 'uploadPrincipalArn', /not an IAM principal ARN/],
      [{ provisionedConcurrency: -1 }, 'provisionedConcurrency', /-1/],
      [{ compactorMemoryMb: 20_000 }, 'compactorMemoryMb', /20000; expected an integer from 128 to 10240/],
      [
        { compactorTimeoutSeconds: 901 },
        'compactorTimeoutSeconds',
        /901; Lambda allows a function at most 900 s/,
      ],
      [{ compactorTimeoutSeconds: 0 }, 'compactorTimeoutSeconds', /0; expected an integer from 1 to 900/],
      [{ compactionTailRows: 0 }, 'compactionTailRows', /0; expected an integer from 1 to 10000000/],
    ];
    for (const [props, field, message] of cases) {
      const error = configErrorOf(props);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it('rejects a processor fleet that would exceed the CloudFormation resource limit and suggests the fix', () => {
    const error = configErrorOf({ partitions: 1000 });
    expect(error.field).toBe('partitionsPerProcessor');
    expect(error.message).toMatch(/1000 processor functions.*Raise partitionsPerProcessor/);
    expect(resolveStackConfig({ partitions: 1000, partitionsPerProcessor: 8 }).processorCount).toBe(125);
  });

  it('accepts an IAM role ARN as upload principal', () => {
    const arn = 'arn:aws:iam::123456789012:role/ci-uploader';
    expect(resolveStackConfig({ uploadPrincipalArn: arn }).uploadPrincipalArn).toBe(arn);
  });
});

describe('readLocalIndexManifest', () => {
  it('reads name, partition count and version through the index format reader', async () => {
    const dir = await publishedIndex('glove', 3);
    const manifest = await readLocalIndexManifest(dir);
    expect(manifest).toMatchObject({ name: 'glove', partitions: 3 });
    expect(manifest.version).toMatch(/^v\d{8}T/);
  });

  it('rejects a missing directory and a directory with nothing published, naming the directory', async () => {
    await expect(readLocalIndexManifest(join(root, 'absent'))).rejects.toThrow(
      /"[^"]*absent" does not exist/,
    );
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    const error = await readLocalIndexManifest(empty).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraConfigError);
    expect((error as InfraConfigError).field).toBe('manifest');
    expect((error as Error).message).toMatch(/empty" is not a usable index directory: .*CURRENT/);
  });

  it('rejects what the format reader rejects: a CURRENT naming no version, a corrupt manifest', async () => {
    const escaping = join(root, 'escaping');
    mkdirSync(escaping, { recursive: true });
    writeFileSync(join(escaping, 'CURRENT'), '{"version":"../../etc"}');
    await expect(readLocalIndexManifest(escaping)).rejects.toThrow(/not a usable index directory/);
    const corrupt = await publishedIndex('corrupt', 2);
    const version = (await readLocalIndexManifest(corrupt)).version;
    writeFileSync(join(corrupt, 'versions', version, 'manifest.json'), '{"partitions": []}');
    await expect(readLocalIndexManifest(corrupt)).rejects.toThrow(/corrupt" is not a usable index directory/);
  });
});
