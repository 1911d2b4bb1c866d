import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { SquashVectorSearch } from '../lib/squash-vector-search.ts';
import type { SquashVectorSearchProps } from '../lib/squash-vector-search-props.ts';
import { configError } from './support/config-error.ts';
import { roleStatements, summarise } from './support/iam.ts';
import { logicalId, resourcesOfType, synth, type TemplateJson } from './support/synth.ts';

/** A user's own app and stack, with a role of theirs, holding one `SquashVectorSearch`. */
function userStack(props: SquashVectorSearchProps = {}) {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'UserStack');
  const dashboard = new iam.Role(stack, 'Dashboard', { assumedBy: new iam.AccountRootPrincipal() });
  const search = new SquashVectorSearch(stack, 'Search', {
    bundling: 'skip',
    partitions: 2,
    indexNames: ['mnist'],
    ...props,
  });
  return { app, stack, dashboard, search };
}

function toJson(stack: Stack): TemplateJson {
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

describe('SquashVectorSearch in a stack of another app', () => {
  it('creates the bucket, functions and HTTP API under its own id, next to the stack’s own resources, with no outputs', () => {
    const { stack, search, dashboard } = userStack();
    const json = toJson(stack);
    expect(resourcesOfType(json, 'AWS::Lambda::Function')).toHaveLength(4);
    expect(resourcesOfType(json, 'AWS::S3::Bucket')).toHaveLength(1);
    expect(resourcesOfType(json, 'AWS::ApiGatewayV2::Api')).toHaveLength(1);
    expect(logicalId(dashboard)).toMatch(/^Dashboard[0-9A-F]{8}$/);
    for (const construct of [
      search.coordinator.function,
      search.bucket,
      search.httpApi!.api,
      search.processorRole,
    ]) {
      expect(logicalId(construct)).toMatch(/^Search[A-Z]/);
    }
    expect(json.Outputs).toBeUndefined();
  });

  it('exposes its outputs as properties: API URL, bucket, prefix, function names and ARNs', () => {
    const { stack, search } = userStack({ indexPrefix: 'team/indexes' });
    const resolve = (value: unknown) => stack.resolve(value);
    const fn = (f: { function: unknown }) => logicalId(f.function as never);
    expect(resolve(search.apiUrl)).toEqual({ 'Fn::GetAtt': [logicalId(search.httpApi!.api), 'ApiEndpoint'] });
    expect(resolve(search.bucket.bucketName)).toEqual({ Ref: logicalId(search.bucket) });
    expect(search.indexPrefix).toBe('team/indexes');
    expect(resolve(search.coordinatorFunctionName)).toEqual({ Ref: fn(search.coordinator) });
    expect(resolve(search.coordinatorFunctionArn)).toEqual({ 'Fn::GetAtt': [fn(search.coordinator), 'Arn'] });
    expect(resolve(search.fanoutFunctionName)).toEqual({ Ref: fn(search.fanout) });
    expect(resolve(search.fanoutFunctionArn)).toEqual({ 'Fn::GetAtt': [fn(search.fanout), 'Arn'] });
    expect(resolve(search.processorFunctionNames)).toEqual(search.processors.map((p) => ({ Ref: fn(p) })));
    expect(resolve(search.processorFunctionArns)).toEqual(
      search.processors.map((p) => ({ 'Fn::GetAtt': [fn(p), 'Arn'] })),
    );
    expect(userStack({ httpApi: false }).search.apiUrl).toBeUndefined();
  });

  it('grantQuery allows execute-api:Invoke on exactly the query routes of the $default stage', () => {
    const { stack, search, dashboard } = userStack();
    const grant = search.grantQuery(dashboard);
    expect(grant.success).toBe(true);
    const api = logicalId(search.httpApi!.api);
    const arn = (path: string) =>
      `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${api}>/$default/${path}`;
    expect(summarise(roleStatements(toJson(stack), logicalId(dashboard)))).toEqual([
      `execute-api:Invoke -> ${[
        'GET/health',
        'GET/openapi.json',
        'GET/v1/indexes',
        'GET/v1/indexes/*',
        'POST/v1/indexes/*/query',
        'POST/v1/indexes/*/query:batch',
      ]
        .map(arn)
        .sort()
        .join(' | ')}`,
    ]);
  });

  it('refuses grantQuery without the HTTP API or without IAM auth, naming the prop', () => {
    const grantee = (s: ReturnType<typeof userStack>) => () => s.search.grantQuery(s.dashboard);
    const noApi = configError(grantee(userStack({ httpApi: false })));
    expect(noApi.field).toBe('httpApi');
    expect(noApi.message).toMatch(/grantQuery needs the HTTP API, but httpApi is false/);
    const apiKey = configError(grantee(userStack({ auth: 'lambda' })));
    expect(apiKey.field).toBe('auth');
    expect(apiKey.message).toMatch(/only with auth 'iam'; auth is 'lambda'/);
  });

  it('refuses a second SquashVectorSearch in the same stack', () => {
    const { stack } = userStack();
    const error = configError(() => new SquashVectorSearch(stack, 'Other', { bundling: 'skip' }));
    expect(error.field).toBe('scope');
    expect(error.message).toMatch(/stack UserStack already holds a SquashVectorSearch/);
  });
});

describe('SquashStack over SquashVectorSearch', () => {
  it('keeps the logical IDs the stack had before the construct existed, so a redeploy replaces nothing', () => {
    const { stack } = synth({ partitions: 3 });
    const s = stack.search;
    expect({
      bucket: logicalId(s.bucket),
      uploader: logicalId(s.indexBucket.uploaderPolicy),
      processorRole: logicalId(s.processorRole),
      processor0: logicalId(s.processors[0]!.function),
      fanout: logicalId(s.fanout.function),
      coordinator: logicalId(s.coordinator.function),
      coordinatorLogs: logicalId(s.coordinator.logGroup),
      api: logicalId(s.httpApi!.api),
      invoker: logicalId(s.httpApi!.invokerPolicy!),
    }).toEqual({
      bucket: 'IndexesBucket9E07387E',
      uploader: 'IndexesUploaderPolicyA6284411',
      processorRole: 'ProcessorRoleFC8890DE',
      processor0: 'Processor0Function77794862',
      fanout: 'FanoutFunction65504326',
      coordinator: 'CoordinatorFunction8BB9C49D',
      coordinatorLogs: 'CoordinatorLogs01ACFA03',
      api: 'HttpApi9292168F',
      invoker: 'HttpApiInvokerPolicy77C9FD65',
    });
  });
});
