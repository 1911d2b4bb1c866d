import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalIndexManifest } from '../lib/index-manifest.ts';
import { InfraConfigError } from '../lib/infra-config-error.ts';
import type { SquashStackProps } from '../lib/squash-stack-props.ts';
import { resolveStackConfig, STACK_DEFAULTS } from '../lib/stack-config.ts';

const root = mkdtempSync(join(tmpdir(), 'squash-infra-manifest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes an index directory: CURRENT -> versions/<version>/manifest.json. */
function indexDir(name: string, manifest: unknown, current = 'v1'): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'versions', 'v1'), { recursive: true });
  writeFileSync(join(dir, 'CURRENT'), current);
  writeFileSync(join(dir, 'versions', 'v1', 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

function configError(props: SquashStackProps): InfraConfigError {
  try {
    resolveStackConfig(props);
  } catch (error) {
    expect(error).toBeInstanceOf(InfraConfigError);
    expect((error as InfraConfigError).code).toBe('INVALID_INFRA_CONFIG');
    return error as InfraConfigError;
  }
  throw new Error('expected an InfraConfigError');
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
      coordinatorTimeoutSeconds: 29,
      fanoutTimeoutSeconds: 28,
      processorTimeoutSeconds: 25,
      invokeTimeoutMs: 25_000,
      provisionedConcurrency: 0,
      auth: 'iam',
      rateLimit: 100,
      burstLimit: 200,
      removalPolicy: RemovalPolicy.RETAIN,
      bundling: 'esbuild',
      httpApi: true,
      logLevel: 'info',
    });
    expect(STACK_DEFAULTS.invokeTimeoutMs).toBeLessThan(STACK_DEFAULTS.coordinatorTimeoutSeconds * 1000);
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

  it('takes partitions and the index name from a manifest directory through CURRENT', () => {
    const dir = indexDir('mnist', { name: 'mnist', partitions: [{}, {}, {}, {}, {}, {}], dim: 784 });
    const config = resolveStackConfig({ manifestPath: dir });
    expect(config).toMatchObject({
      partitions: 6,
      indexNames: ['mnist'],
      partitionsDefaulted: false,
      processorCount: 6,
    });
  });

  it('lets explicit partitions and index names win over the manifest', () => {
    const dir = indexDir('explicit', { name: 'from-manifest', partitions: [{}, {}] });
    const config = resolveStackConfig({ manifestPath: dir, partitions: 9, indexNames: ['a', 'b'] });
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
      [{ timeouts: { invokeMs: 29_000 } }, 'timeouts.invokeMs', /below the coordinator timeout \(29000 ms\)/],
      [{ uploadPrincipalArn: 'bob' }, 'uploadPrincipalArn', /not an IAM principal ARN/],
      [{ provisionedConcurrency: -1 }, 'provisionedConcurrency', /-1/],
    ];
    for (const [props, field, message] of cases) {
      const error = configError(props);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it('rejects a processor fleet that would exceed the CloudFormation resource limit and suggests the fix', () => {
    const error = configError({ partitions: 1000 });
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
  it('reads name, partition count and version through CURRENT', () => {
    const dir = indexDir('glove', { name: 'glove', partitions: [1, 2, 3] });
    expect(readLocalIndexManifest(dir)).toEqual({
      name: 'glove',
      partitions: 3,
      version: 'v1',
      manifestFile: join(dir, 'versions', 'v1', 'manifest.json'),
    });
  });

  it('tolerates CURRENT as JSON, a trailing newline and partitions given as a number', () => {
    const dir = indexDir('json-current', { partitions: 12 }, '{"version":"v1"}\n');
    expect(readLocalIndexManifest(dir)).toMatchObject({ partitions: 12, version: 'v1' });
    expect(readLocalIndexManifest(dir).name).toBeUndefined();
  });

  it('reads a manifest file given directly and a directory holding manifest.json', () => {
    const dir = join(root, 'flat');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'flat', partitions: [0, 1] }));
    expect(readLocalIndexManifest(dir)).toMatchObject({ name: 'flat', partitions: 2 });
    expect(readLocalIndexManifest(join(dir, 'manifest.json'))).toMatchObject({ name: 'flat', partitions: 2 });
  });

  it('rejects a manifest without usable partitions, naming the file', () => {
    const dir = indexDir('no-partitions', { name: 'x', partitions: [] });
    expect(() => readLocalIndexManifest(dir)).toThrow(/manifest\.json has no usable "partitions" field/);
  });

  it('rejects missing paths, CURRENT naming a missing version and CURRENT escaping the directory', () => {
    expect(() => readLocalIndexManifest(join(root, 'absent'))).toThrow(/does not exist/);
    const missing = indexDir('dangling', { partitions: 1 }, 'v2');
    expect(() => readLocalIndexManifest(missing)).toThrow(/versions\/v2\/manifest\.json does not exist/);
    const escaping = indexDir('escaping', { partitions: 1 }, '../../etc');
    expect(() => readLocalIndexManifest(escaping)).toThrow(/should name a version/);
  });

  it('rejects a manifest that is not a JSON object', () => {
    const dir = join(root, 'garbage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), '[1,2]');
    expect(() => readLocalIndexManifest(dir)).toThrow(/is not a JSON object/);
  });
});
