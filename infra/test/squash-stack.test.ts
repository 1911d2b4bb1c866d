import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, FUNCTION_SETTINGS, HANDLER_ENTRIES } from '@squash/contracts';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { InfraConfigError } from '../lib/infra-config-error.ts';
import { REPO_ROOT } from '../lib/project-paths.ts';
import { COMPACTOR_ASYNC_INVOKE } from '../lib/squash-compactor.ts';
import { SquashStack } from '../lib/squash-stack.ts';
import { findCycle, logicalId, render, resourcesOfType, synth } from './support/synth.ts';

/** Environment variables of a function, with intrinsic functions rendered (see `render`). */
function envOf(json: ReturnType<typeof synth>['json'], id: string): Record<string, string> {
  const variables = (json.Resources[id]?.Properties?.Environment as { Variables?: Record<string, unknown> })
    ?.Variables;
  return Object.fromEntries(Object.entries(variables ?? {}).map(([k, v]) => [k, render(v)]));
}

describe('SquashStack functions', () => {
  it.each([
    [{}, 4],
    [{ partitions: 10, partitionsPerProcessor: 3 }, 7],
    [{ partitions: 16, partitionsPerProcessor: 4 }, 7],
  ])('deploys 3 + ceil(partitions / partitionsPerProcessor) functions for %o', (props, functions) => {
    const { template } = synth(props);
    template.resourceCountIs('AWS::Lambda::Function', functions);
    template.resourceCountIs('AWS::Logs::LogGroup', functions);
  });

  it('runs every function on Node.js 22, arm64, from index.handler', () => {
    const { template } = synth({ partitions: 3 });
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(6);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
  });

  it('sizes memory and timeouts from the documented defaults and from props', () => {
    const defaults = synth({ partitions: 1 });
    const ids = {
      coordinator: logicalId(defaults.stack.search.coordinator.function),
      fanout: logicalId(defaults.stack.search.fanout.function),
      processor: logicalId(defaults.stack.search.processors[0]!.function),
      compactor: logicalId(defaults.stack.search.compactor.function),
    };
    const sizing = (json: typeof defaults.json, id: string) => {
      const p = json.Resources[id]!.Properties!;
      return [p.MemorySize, p.Timeout];
    };
    expect(sizing(defaults.json, ids.coordinator)).toEqual([1024, 26]);
    expect(sizing(defaults.json, ids.fanout)).toEqual([512, 25]);
    expect(sizing(defaults.json, ids.processor)).toEqual([2048, 25]);
    expect(sizing(defaults.json, ids.compactor)).toEqual([3008, 900]);
    const custom = synth({
      coordinatorMemoryMb: 1769,
      fanoutMemoryMb: 256,
      processorMemoryMb: 4096,
      requestTimeoutMs: 15_000,
      invokeTimeoutMs: 12_000,
      compactorMemoryMb: 10_240,
      compactorTimeoutSeconds: 300,
    });
    expect(sizing(custom.json, ids.coordinator)).toEqual([1769, 16]);
    expect(sizing(custom.json, ids.fanout)).toEqual([256, 15]);
    expect(sizing(custom.json, ids.processor)).toEqual([4096, 15]);
    expect(sizing(custom.json, ids.compactor)).toEqual([10_240, 300]);
    expect(envOf(custom.json, ids.coordinator)[ENV.invokeTimeoutMs]).toBe('12000');
  });

  it('wires the coordinator environment through the shared ENV names', () => {
    const { stack, json } = synth({
      partitions: 4,
      partitionsPerProcessor: 2,
      branching: 5,
      indexNames: ['mnist', 'glove'],
      compactionTailRows: 5000,
    });
    const bucket = logicalId(stack.search.indexBucket.bucket);
    const processors = stack.search.processors.map((p) => `<${logicalId(p.function)}>`);
    const env = envOf(json, logicalId(stack.search.coordinator.function));
    expect(Object.keys(env).sort()).toEqual(
      [
        ENV.indexRoot,
        ENV.compactorFunction,
        ENV.compactionTailRows,
        ENV.fanoutFunction,
        ENV.processorFunctions,
        ENV.partitionsPerProcessor,
        ENV.branching,
        ENV.requestTimeoutMs,
        ENV.deadlineMarginMs,
        ENV.invokeTimeoutMs,
        ENV.logLevel,
      ].sort(),
    );
    // Every index, the named ones included, is found through the catalog below the root.
    expect(env[ENV.indexRoot]).toBe(`s3://<${bucket}>/indexes`);
    expect(env[ENV.indexes]).toBeUndefined();
    expect(env[ENV.compactorFunction]).toBe(`<${logicalId(stack.search.compactor.function)}>`);
    expect(env[ENV.compactionTailRows]).toBe('5000');
    expect(env[ENV.fanoutFunction]).toBe(`<${logicalId(stack.search.fanout.function)}>`);
    expect(JSON.parse(env[ENV.processorFunctions]!)).toEqual(processors);
    expect(processors).toHaveLength(2);
    expect(env[ENV.partitionsPerProcessor]).toBe('2');
    expect(env[ENV.branching]).toBe('5');
    expect(env[ENV.requestTimeoutMs]).toBe('25000');
    expect(env[ENV.deadlineMarginMs]).toBe('500');
    expect(env[ENV.invokeTimeoutMs]).toBe('12250');
    expect(env[ENV.logLevel]).toBe('info');
    const defaults = envOf(synth().json, logicalId(stack.search.coordinator.function));
    expect(defaults[ENV.compactionTailRows]).toBe(String(FUNCTION_SETTINGS.compactionTailRows.default));
  });

  it('gives the compactor its own literal name, the index root as its only store root, and nothing of the query path', () => {
    const { stack, json } = synth({ partitions: 2, indexPrefix: 'prod/indexes', logLevel: 'debug' });
    const id = logicalId(stack.search.compactor.function);
    const properties = json.Resources[id]!.Properties!;
    const name = properties.FunctionName;
    // A literal (no Ref to itself, which would be circular), valid for Lambda and unique per stack.
    expect(typeof name).toBe('string');
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(name).toMatch(/^Test/);
    const env = envOf(json, id);
    expect(env).toEqual({
      [ENV.storeRoots]: JSON.stringify([`s3://<${logicalId(stack.search.indexBucket.bucket)}>/prod/indexes`]),
      [ENV.compactorFunction]: name,
      [ENV.logLevel]: 'debug',
    });
  });

  it('retries a failed compaction once and drops compaction events older than an hour', () => {
    const { stack, template } = synth();
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    const [config] = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(config!.Properties).toMatchObject({
      MaximumRetryAttempts: COMPACTOR_ASYNC_INVOKE.retryAttempts,
      MaximumEventAgeInSeconds: COMPACTOR_ASYNC_INVOKE.maxEventAgeSeconds,
      Qualifier: '$LATEST',
    });
    expect(render(config!.Properties.FunctionName)).toBe(`<${logicalId(stack.search.compactor.function)}>`);
  });

  it('gives tree nodes the processor list but not their own name, and processors neither', () => {
    const { stack, json } = synth({ partitions: 2, indexPrefix: 'prod/indexes', indexNames: ['a'] });
    const fanout = envOf(json, logicalId(stack.search.fanout.function));
    expect(JSON.parse(fanout[ENV.processorFunctions]!)).toHaveLength(2);
    expect(fanout[ENV.fanoutFunction]).toBeUndefined();
    const processor = envOf(json, logicalId(stack.search.processors[1]!.function));
    expect(processor[ENV.fanoutFunction]).toBeUndefined();
    expect(processor[ENV.processorFunctions]).toBeUndefined();
    expect(processor[ENV.indexes]).toBeUndefined();
    const root = `s3://<${logicalId(stack.search.indexBucket.bucket)}>/prod/indexes`;
    expect(JSON.parse(processor[ENV.storeRoots]!)).toEqual([root]);
  });

  it('adds a provisioned-concurrency alias to every processor and invokes the alias', () => {
    const { stack, json, template } = synth({ partitions: 3, provisionedConcurrency: 2 });
    template.resourceCountIs('AWS::Lambda::Alias', 3);
    template.allResourcesProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
    const names = JSON.parse(
      envOf(json, logicalId(stack.search.coordinator.function))[ENV.processorFunctions]!,
    );
    expect(names).toEqual(stack.search.processors.map((p) => `<${logicalId(p.function)}>:live`));
  });

  it('adds no alias or version without provisioned concurrency', () => {
    const { template } = synth({ partitions: 3 });
    template.resourceCountIs('AWS::Lambda::Alias', 0);
    template.resourceCountIs('AWS::Lambda::Version', 0);
  });

  it('keeps logs for one month by default, or as configured, and only as long as the stack when destroyable', () => {
    synth().template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    synth({ logRetention: RetentionDays.ONE_WEEK }).template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 7,
    });
    const retained = synth().template.findResources('AWS::Logs::LogGroup');
    expect(Object.values(retained).every((r) => r.DeletionPolicy === 'Retain')).toBe(true);
    const { template } = synth({ removalPolicy: 'destroy' as never });
    expect(template).toBeDefined();
  });

  it('has no circular references between resources in any configuration', () => {
    for (const props of [
      {},
      { partitions: 4, provisionedConcurrency: 1 },
      { auth: 'lambda' as const },
      { auth: 'none' as const },
    ]) {
      expect(findCycle(synth(props).json)).toBeUndefined();
    }
  });
});

describe('SquashStack outputs and warnings', () => {
  it('outputs the API URL, the bucket, the function names and the uploader policy', () => {
    const { stack, template, json } = synth({ partitions: 2 });
    expect(Object.keys(json.Outputs ?? {}).sort()).toEqual(
      [
        'ApiUrl',
        'BucketName',
        'CoordinatorFunctionName',
        'CompactorFunctionName',
        'FanoutFunctionName',
        'IndexPrefix',
        'InvokerPolicyArn',
        'ProcessorFunctionNames',
        'UploaderPolicyArn',
      ].sort(),
    );
    template.hasOutput('ApiUrl', {
      Value: { 'Fn::GetAtt': [logicalId(stack.search.httpApi!.api), 'ApiEndpoint'] },
    });
    template.hasOutput('BucketName', { Value: { Ref: logicalId(stack.search.indexBucket.bucket) } });
    expect(JSON.parse(render(json.Outputs!.ProcessorFunctionNames!.Value))).toEqual(
      stack.search.processors.map((p) => `<${logicalId(p.function)}>`),
    );
  });

  it('omits the HTTP API and its output when httpApi is false', () => {
    const { template, json } = synth({ httpApi: false });
    expect(resourcesOfType(json, 'AWS::ApiGatewayV2::Api')).toHaveLength(0);
    expect(json.Outputs?.ApiUrl).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('warns when partitions were not given and when bundling is skipped', () => {
    const { stack } = synth();
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Test/Default', Match.stringLikeRegexp('no partitions and no index manifest'));
    annotations.hasWarning('/Test/Default', Match.stringLikeRegexp("bundling is 'skip'"));
    expect(
      Annotations.fromStack(synth({ partitions: 2 }).stack).findWarning(
        '*',
        Match.stringLikeRegexp('no partitions'),
      ),
    ).toHaveLength(0);
  });

  it('passes the CDK built-in CloudFormation validation with every optional part switched on', () => {
    expect(() =>
      synth(
        {
          partitions: 2,
          indexNames: ['mnist'],
          auth: 'lambda',
          provisionedConcurrency: 1,
          uploadPrincipalArn: 'arn:aws:iam::123456789012:role/ci',
        },
        { validate: true },
      ),
    ).not.toThrow();
  });
});

describe('SquashStack bundling', () => {
  // node_modules/.cache does not exist on a fresh clone: create it before the temp directory.
  const cacheDir = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const projectRoot = mkdtempSync(join(cacheDir, 'squash-infra-bundling-'));
  afterAll(() => rmSync(projectRoot, { recursive: true, force: true }));

  it('bundles each handler entry with local esbuild into one ES module asset, shared by all processors', () => {
    writeFileSync(join(projectRoot, 'package-lock.json'), '{}');
    for (const entry of Object.values(HANDLER_ENTRIES)) {
      mkdirSync(join(projectRoot, entry, '..'), { recursive: true });
      writeFileSync(join(projectRoot, entry), `export const handler = async () => '${entry}';\n`);
    }
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new SquashStack(app, 'Bundled', { partitions: 3, projectRoot, bundling: 'esbuild' });
    const assembly = app.synth();
    const template = assembly.getStackByName('Bundled').template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const keyOf = (id: string) =>
      render((template.Resources[id]!.Properties.Code as { S3Key: unknown }).S3Key);
    const processorKeys = new Set(stack.search.processors.map((p) => keyOf(logicalId(p.function))));
    expect(processorKeys.size).toBe(1);
    const keys = new Set([
      ...processorKeys,
      keyOf(logicalId(stack.search.coordinator.function)),
      keyOf(logicalId(stack.search.fanout.function)),
      keyOf(logicalId(stack.search.compactor.function)),
    ]);
    expect(keys.size).toBe(4);
  });

  it('fails with INVALID_INFRA_CONFIG naming a missing handler entry and the skip option', () => {
    const empty = mkdtempSync(join(projectRoot, 'empty-'));
    const app = new App({ builtinCloudFormationValidation: false });
    let caught: unknown;
    try {
      new SquashStack(app, 'Missing', { projectRoot: empty, bundling: 'esbuild' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InfraConfigError);
    expect((caught as InfraConfigError).message).toMatch(
      /handler entry functions\/processor\/handler\.ts does not exist.*bundling=skip/,
    );
  });
});
