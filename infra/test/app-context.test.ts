import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK_NAME, stackSpecFromContext } from '../lib/app-context.ts';

const reader = (context: Record<string, unknown>) => (key: string) => context[key];

describe('stackSpecFromContext', () => {
  it('builds the default stack when no context is given', () => {
    expect(stackSpecFromContext(reader({}))).toEqual({ stackName: DEFAULT_STACK_NAME, props: {} });
  });

  it('parses command-line context strings into typed props', () => {
    const spec = stackSpecFromContext(
      reader({
        stackName: 'SquashProd',
        indexName: 'mnist, glove',
        partitions: '16',
        partitionsPerProcessor: '4',
        branching: '10',
        processorMemoryMb: '3008',
        compactorMemoryMb: '4096',
        compactorTimeoutSeconds: '600',
        compactionTailRows: '50000',
        requestTimeoutMs: '20000',
        deadlineMarginMs: '400',
        invokeTimeoutMs: '15000',
        provisionedConcurrency: '2',
        auth: 'lambda',
        rateLimit: '50',
        removalPolicy: 'destroy',
        httpApi: 'false',
        bundling: 'skip',
        logLevel: 'debug',
      }),
    );
    expect(spec).toEqual({
      stackName: 'SquashProd',
      props: {
        indexNames: ['mnist', 'glove'],
        partitions: 16,
        partitionsPerProcessor: 4,
        branching: 10,
        processorMemoryMb: 3008,
        compactorMemoryMb: 4096,
        compactorTimeoutSeconds: 600,
        compactionTailRows: 50000,
        requestTimeoutMs: 20000,
        deadlineMarginMs: 400,
        invokeTimeoutMs: 15000,
        provisionedConcurrency: 2,
        auth: 'lambda',
        throttle: { rateLimit: 50 },
        removalPolicy: RemovalPolicy.DESTROY,
        httpApi: false,
        bundling: 'skip',
        logLevel: 'debug',
      },
    });
  });

  it('accepts JSON values from cdk.json (numbers, booleans, string arrays)', () => {
    const spec = stackSpecFromContext(reader({ partitions: 8, httpApi: true, indexName: ['a', 'b'] }));
    expect(spec.props).toEqual({ partitions: 8, httpApi: true, indexNames: ['a', 'b'] });
  });

  it('takes the manifest from SQUASH_MANIFEST unless -c manifest is given', () => {
    expect(stackSpecFromContext(reader({}), { SQUASH_MANIFEST: '/data/mnist' }).manifestDir).toBe(
      '/data/mnist',
    );
    expect(
      stackSpecFromContext(reader({ manifest: '/data/glove' }), { SQUASH_MANIFEST: '/data/mnist' })
        .manifestDir,
    ).toBe('/data/glove');
    expect(stackSpecFromContext(reader({}), { SQUASH_MANIFEST: ' ' }).manifestDir).toBeUndefined();
  });

  it('rejects malformed values naming the context key', () => {
    expect(() => stackSpecFromContext(reader({ partitions: '4x' }))).toThrow(
      /context partitions must be a whole number; got "4x"/,
    );
    expect(() => stackSpecFromContext(reader({ partitions: '-1' }))).toThrow(/whole number/);
    expect(() => stackSpecFromContext(reader({ removalPolicy: 'snapshot' }))).toThrow(/retain or destroy/);
    expect(() => stackSpecFromContext(reader({ httpApi: 'yes' }))).toThrow(
      /context httpApi must be true or false/,
    );
    expect(() => stackSpecFromContext(reader({ auth: { mode: 'iam' } }))).toThrow(
      /context auth must be a string/,
    );
  });

  it('rejects the removed per-function timeout keys and points at requestTimeoutMs', () => {
    for (const key of ['coordinatorTimeoutSeconds', 'fanoutTimeoutSeconds', 'processorTimeoutSeconds']) {
      expect(() => stackSpecFromContext(reader({ [key]: '20' }))).toThrow(
        new RegExp(
          `context ${key} is no longer read; every function timeout derives from -c requestTimeoutMs`,
        ),
      );
    }
  });
});
