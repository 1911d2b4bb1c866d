import { ENV } from '@squash/contracts';
import { describe, expect, it } from 'vitest';
import { roleStatements } from './support/iam.ts';
import { logicalId, render, resourcesOfType, synth } from './support/synth.ts';

/**
 * What `npm run test:emulated` cannot prove, because moto 5.2.1 drops or misreports it (measured;
 * see the REFERENCE notes in infra/README.md), pinned in the synthesised template instead. The
 * deployment suite covers the rest: functions, roles, policies, the bucket, log groups, each
 * function's environment, handler, memory and timeout as CloudFormation created them.
 */
describe('what the emulated deployment cannot check', () => {
  const defaults = synth({ partitions: 3 });
  const functionsOf = (s: typeof defaults) => resourcesOfType(s.json, 'AWS::Lambda::Function');

  it('sends each function to its own log group (moto returns no LoggingConfig)', () => {
    const groups = new Set(resourcesOfType(defaults.json, 'AWS::Logs::LogGroup').map(([id]) => `<${id}>`));
    const used = functionsOf(defaults).map(([, fn]) =>
      render((fn.Properties!.LoggingConfig as { LogGroup: unknown }).LogGroup),
    );
    expect(new Set(used)).toEqual(groups);
    expect(used).toHaveLength(groups.size);
  });

  it('runs every function on arm64, including the authorizer (moto reports x86_64)', () => {
    for (const s of [defaults, synth({ auth: 'lambda' })]) {
      for (const [, fn] of functionsOf(s)) expect(fn.Properties!.Architectures).toEqual(['arm64']);
    }
  });

  it('attaches the TLS-only bucket policy to the index bucket (moto skips S3::BucketPolicy)', () => {
    const policies = resourcesOfType(defaults.json, 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(1);
    const props = policies[0]![1].Properties!;
    expect(render(props.Bucket)).toBe(`<${logicalId(defaults.stack.search.indexBucket.bucket)}>`);
    const statements = (props.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('grants invoke on the provisioned-concurrency aliases the coordinator calls (moto skips aliases)', () => {
    const s = synth({ partitions: 2, provisionedConcurrency: 1 });
    const aliasArns = resourcesOfType(s.json, 'AWS::Lambda::Alias').map(([id]) => `<${id}>`);
    expect(aliasArns).toHaveLength(2);
    const coordinatorRole = logicalId(s.stack.search.coordinator.function.role as never);
    const invoke = roleStatements(s.json, coordinatorRole).find((st) =>
      st.actions.includes('lambda:InvokeFunction'),
    );
    for (const arn of aliasArns) expect(invoke?.resources).toContain(arn);
  });

  it('nests the timeouts around the request budget, under the HTTP API 30 s limit', () => {
    for (const s of [defaults, synth({ requestTimeoutMs: 15_000, invokeTimeoutMs: 12_000 })]) {
      const timeout = (fn: { function: unknown }) =>
        s.json.Resources[logicalId(fn.function as never)]!.Properties!.Timeout as number;
      const coordinator = timeout(s.stack.search.coordinator);
      const fanout = timeout(s.stack.search.fanout);
      const processor = Math.max(...s.stack.search.processors.map(timeout));
      const env = s.json.Resources[logicalId(s.stack.search.coordinator.function)]!.Properties!
        .Environment as {
        Variables: Record<string, string>;
      };
      const requestMs = Number(env.Variables[ENV.requestTimeoutMs]);
      const marginMs = Number(env.Variables[ENV.deadlineMarginMs]);
      const invokeMs = Number(env.Variables[ENV.invokeTimeoutMs]);
      expect(processor).toBe(fanout);
      expect(fanout * 1000).toBeGreaterThanOrEqual(requestMs);
      expect(coordinator * 1000).toBeGreaterThanOrEqual(requestMs + marginMs);
      expect(invokeMs).toBeLessThanOrEqual(requestMs);
      expect(coordinator).toBeLessThan(30);
    }
  });
});
