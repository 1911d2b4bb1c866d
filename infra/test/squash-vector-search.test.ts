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

/** The `METHOD/path` parts of the query routes' `execute-api` ARNs, `fetchVectors` included. */
const QUERY_PATHS = [
  'GET/health',
  'GET/openapi.json',
  'GET/v1/indexes',
  'GET/v1/indexes/*',
  'POST/v1/indexes/*/query',
  'POST/v1/indexes/*/query:batch',
  'POST/v1/indexes/*/vectors/fetch',
];
/** Those of the write routes: create and delete an index, upsert and delete rows. */
const WRITE_PATHS = [
  'PUT/v1/indexes/*',
  'DELETE/v1/indexes/*',
  'POST/v1/indexes/*/vectors/upsert',
  'POST/v1/indexes/*/vectors/delete',
];

/** The rendered `execute-api` ARNs of `paths` on the construct's `$default` stage, sorted and joined. */
function routeArns(search: SquashVectorSearch, paths: readonly string[]): string {
  const api = logicalId(search.httpApi!.api);
  return paths
    .map(
      (path) => `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${api}>/$default/${path}`,
    )
    .sort()
    .join(' | ');
}

/** IAM's ArnLike on a resource: `*` matches any run of characters (slashes included), `?` one. */
function arnLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

function toJson(stack: Stack): TemplateJson {
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

describe('SquashVectorSearch in a stack of another app', () => {
  it('creates the bucket, functions and HTTP API under its own id, next to the stack’s own resources, with no outputs', () => {
    const { stack, search, dashboard } = userStack();
    const json = toJson(stack);
    expect(resourcesOfType(json, 'AWS::Lambda::Function')).toHaveLength(5);
    expect(resourcesOfType(json, 'AWS::S3::Bucket')).toHaveLength(1);
    expect(resourcesOfType(json, 'AWS::ApiGatewayV2::Api')).toHaveLength(1);
    expect(logicalId(dashboard)).toMatch(/^Dashboard[0-9A-F]{8}$/);
    for (const construct of [
      search.coordinator.function,
      search.bucket,
      search.httpApi!.api,
      search.processorRole,
      search.compactor.function,
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
    expect(resolve(search.compactorFunctionName)).toEqual({ Ref: fn(search.compactor) });
    expect(resolve(search.compactorFunctionArn)).toEqual({ 'Fn::GetAtt': [fn(search.compactor), 'Arn'] });
    expect(userStack({ httpApi: false }).search.apiUrl).toBeUndefined();
  });

  it('grantQuery allows execute-api:Invoke on exactly the query routes of the $default stage', () => {
    const { stack, search, dashboard } = userStack();
    const grant = search.grantQuery(dashboard);
    expect(grant.success).toBe(true);
    expect(summarise(roleStatements(toJson(stack), logicalId(dashboard)))).toEqual([
      `execute-api:Invoke -> ${routeArns(search, QUERY_PATHS)}`,
    ]);
  });

  it('grantWrite allows execute-api:Invoke on exactly the write routes, and grantQuery never covers one', () => {
    const { stack, search, dashboard } = userStack();
    const ingest = new iam.Role(stack, 'Ingest', { assumedBy: new iam.AccountRootPrincipal() });
    expect(search.grantWrite(ingest).success).toBe(true);
    search.grantQuery(dashboard);
    const json = toJson(stack);
    expect(summarise(roleStatements(json, logicalId(ingest)))).toEqual([
      `execute-api:Invoke -> ${routeArns(search, WRITE_PATHS)}`,
    ]);
    const queryResources = roleStatements(json, logicalId(dashboard)).flatMap((s) => s.resources);
    const writeResources = roleStatements(json, logicalId(ingest)).flatMap((s) => s.resources);
    expect(writeResources).toHaveLength(WRITE_PATHS.length);
    for (const arn of writeResources) expect(queryResources).not.toContain(arn);
    // No query grant matches a write request either (IAM's `*` in a resource spans "/").
    for (const path of WRITE_PATHS.map((p) => p.replace(/\*/g, 'mnist'))) {
      for (const pattern of queryResources)
        expect(arnLike(pattern, routeArns(search, [path])), path).toBe(false);
    }
  });

  for (const method of ['grantQuery', 'grantWrite'] as const) {
    it(`refuses ${method} without the HTTP API or without IAM auth, naming the prop`, () => {
      const grantee = (s: ReturnType<typeof userStack>) => () => s.search[method](s.dashboard);
      const noApi = configError(grantee(userStack({ httpApi: false })));
      expect(noApi.field).toBe('httpApi');
      expect(noApi.message).toMatch(new RegExp(`${method} needs the HTTP API, but httpApi is false`));
      const apiKey = configError(grantee(userStack({ auth: 'lambda' })));
      expect(apiKey.field).toBe('auth');
      expect(apiKey.message).toMatch(/only with auth 'iam'; auth is 'lambda'/);
    });
  }

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
