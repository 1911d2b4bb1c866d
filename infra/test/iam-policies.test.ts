import { describe, expect, it } from 'vitest';
import { allIdentityStatements, roleStatements, summarise } from './support/iam.ts';
import { logicalId, resourcesOfType, synth } from './support/synth.ts';

/** A stack with three processors and an uploader role, and the rendered ARNs its policies should name. */
function fixture(props: Parameters<typeof synth>[0] = {}) {
  const s = synth({ partitions: 3, uploadPrincipalArn: 'arn:aws:iam::123456789012:role/ci', ...props });
  const bucket = logicalId(s.stack.search.indexBucket.bucket);
  const prefix = s.stack.search.config.indexPrefix;
  const roleOf = (fn: { role?: unknown }) => logicalId(fn.role as never);
  return {
    ...s,
    roles: {
      coordinator: roleOf(s.stack.search.coordinator.function),
      fanout: roleOf(s.stack.search.fanout.function),
      processor: logicalId(s.stack.search.processorRole),
      compactor: roleOf(s.stack.search.compactor.function),
    },
    arns: {
      fanout: `<${logicalId(s.stack.search.fanout.function)}.Arn>`,
      processors: s.stack.search.processors.map((p) => `<${logicalId(p.function)}.Arn>`),
      compactor: `<${logicalId(s.stack.search.compactor.function)}.Arn>`,
      objects: `<${bucket}.Arn>/${prefix}/*`,
      bucket: `<${bucket}.Arn>`,
      logs: (fn: { logGroup: unknown }) => `<${logicalId(fn.logGroup as never)}.Arn>`,
    },
  };
}

const LOG_ACTIONS = 'logs:CreateLogStream,logs:PutLogEvents';
/** What active tracing grants every function role (X-Ray has no resource-level permissions for it). */
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const XRAY = `${XRAY_ACTIONS.join(',')} -> *`;

describe('IAM least privilege', () => {
  it('lets the coordinator invoke only the fan-out, processor and compactor functions and read and write only below the index prefix', () => {
    const { json, roles, arns, stack } = fixture();
    expect(summarise(roleStatements(json, roles.coordinator))).toEqual(
      [
        `lambda:InvokeFunction -> ${[arns.fanout, ...arns.processors, arns.compactor].sort().join(' | ')}`,
        `s3:DeleteObject,s3:GetObject,s3:PutObject -> ${arns.objects}`,
        `s3:ListBucket -> ${arns.bucket}`,
        `${LOG_ACTIONS} -> ${arns.logs(stack.search.coordinator)}`,
        XRAY,
      ].sort(),
    );
    const list = roleStatements(json, roles.coordinator).find((s) => s.actions.includes('s3:ListBucket'));
    expect(list?.condition).toEqual({ StringLike: { 's3:prefix': ['indexes/*'] } });
  });

  it('lets readers get 404 for a missing key below the prefix and list nothing outside it', () => {
    // S3 answers a GET/HEAD of a missing key with 404 only to a caller allowed s3:ListBucket for
    // that key, evaluating the check with s3:prefix set to the requested key (the behaviour Ceph
    // RGW copied from AWS in ceph/ceph#68577); otherwise 403. Storage maps 404 to "not found"
    // (INDEX_NOT_FOUND for an index that was never uploaded) and 403 to a 500, so every key a
    // function reads must fall under the ListBucket condition, and no other prefix may.
    const { json, roles, stack } = fixture({ indexPrefix: 'team/indexes' });
    const uri = stack.search.indexBucket.indexUri('mnist');
    const indexRoot = uri.slice(uri.indexOf('/team/') + 1);
    const readKeys = ['CURRENT', 'versions/v1/manifest.json', 'versions/v1/partitions/00003/vectors.bin'].map(
      (key) => `${indexRoot}/${key}`,
    );
    for (const role of [roles.coordinator, roles.processor, roles.compactor]) {
      const lists = roleStatements(json, role).filter((s) => s.actions.includes('s3:ListBucket'));
      expect(lists).toHaveLength(1);
      const patterns = (lists[0]!.condition as { StringLike: { 's3:prefix': string[] } }).StringLike[
        's3:prefix'
      ];
      const allowed = (key: string) => patterns.some((p) => stringLike(p, key));
      for (const key of readKeys) expect(allowed(key), key).toBe(true);
      for (const key of ['', 'team/', 'team/other/CURRENT', 'indexes/mnist/CURRENT']) {
        expect(allowed(key), key).toBe(false);
      }
    }
  });

  it('lets tree nodes invoke only the fan-out and processor functions and read nothing', () => {
    const { json, roles, arns, stack } = fixture();
    expect(summarise(roleStatements(json, roles.fanout))).toEqual(
      [
        `lambda:InvokeFunction -> ${[arns.fanout, ...arns.processors].sort().join(' | ')}`,
        `${LOG_ACTIONS} -> ${arns.logs(stack.search.fanout)}`,
        XRAY,
      ].sort(),
    );
  });

  it('lets processors read only the index prefix and invoke nothing', () => {
    const { json, roles, arns, stack } = fixture();
    expect(summarise(roleStatements(json, roles.processor))).toEqual(
      [
        `s3:GetObject -> ${arns.objects}`,
        `s3:ListBucket -> ${arns.bucket}`,
        ...stack.search.processors.map((p) => `${LOG_ACTIONS} -> ${arns.logs(p)}`),
        XRAY,
      ].sort(),
    );
    for (const p of stack.search.processors) expect(logicalId(p.function.role!)).toBe(roles.processor);
  });

  it('lets the compactor read, write and delete only below the index prefix and invoke only itself', () => {
    const { json, roles, arns, stack } = fixture();
    expect(summarise(roleStatements(json, roles.compactor))).toEqual(
      [
        `lambda:InvokeFunction -> ${arns.compactor}`,
        `s3:DeleteObject,s3:GetObject,s3:PutObject -> ${arns.objects}`,
        `s3:ListBucket -> ${arns.bucket}`,
        `${LOG_ACTIONS} -> ${arns.logs(stack.search.compactor)}`,
        XRAY,
      ].sort(),
    );
    const list = roleStatements(json, roles.compactor).find((s) => s.actions.includes('s3:ListBucket'));
    expect(list?.condition).toEqual({ StringLike: { 's3:prefix': ['indexes/*'] } });
  });

  it('scopes reads to a custom index prefix', () => {
    const { json, roles, arns } = fixture({ indexPrefix: 'team/indexes' });
    expect(arns.objects).toMatch(/\/team\/indexes\/\*$/);
    const statements = roleStatements(json, roles.processor);
    expect(statements.find((s) => s.actions.includes('s3:GetObject'))?.resources).toEqual([arns.objects]);
    expect(statements.find((s) => s.actions.includes('s3:ListBucket'))?.condition).toEqual({
      StringLike: { 's3:prefix': ['team/indexes/*'] },
    });
  });

  it('grants invocation of the provisioned-concurrency aliases the coordinator calls', () => {
    const { json, roles, stack } = fixture({ provisionedConcurrency: 1 });
    const aliases = stack.search.processors.map((p) => `<${logicalId(p.node.findChild('Live'))}>`);
    const invoke = roleStatements(json, roles.coordinator).find((s) =>
      s.actions.includes('lambda:InvokeFunction'),
    );
    expect(invoke?.resources).toEqual(
      [
        `<${logicalId(stack.search.fanout.function)}.Arn>`,
        `<${logicalId(stack.search.compactor.function)}.Arn>`,
        ...aliases,
      ].sort(),
    );
  });

  it('uses no wildcard action and no bare "*" resource anywhere but the X-Ray trace upload', () => {
    for (const props of [{}, { auth: 'lambda' as const }, { provisionedConcurrency: 1 }]) {
      const statements = allIdentityStatements(fixture(props).json);
      const xray = statements.filter((s) => s.actions.some((a) => a.startsWith('xray:')));
      expect(xray.length).toBeGreaterThan(0);
      for (const s of xray) expect([s.actions, s.resources], s.source).toEqual([XRAY_ACTIONS, ['*']]);
      for (const s of statements.filter((s) => !xray.includes(s))) {
        expect(
          s.actions.filter((a) => a.includes('*')),
          s.source,
        ).toEqual([]);
        expect(
          s.resources.filter((r) => r === '*'),
          s.source,
        ).toEqual([]);
      }
    }
  });

  it('grants s3:PutObject and s3:DeleteObject to nobody but the coordinator, the compactor and the uploader policy, confined to the prefix', () => {
    const { json, stack, arns, roles } = fixture();
    const uploader = logicalId(stack.search.indexBucket.uploaderPolicy);
    const writers = allIdentityStatements(json).filter((s) =>
      s.actions.some((a) => /^s3:(Put|Delete)/.test(a)),
    );
    const policyOf = (role: string) =>
      roleStatements(json, role).find((s) => s.actions.includes('s3:PutObject'))!.source;
    expect(new Set(writers.map((s) => s.source))).toEqual(
      new Set([uploader, policyOf(roles.coordinator), policyOf(roles.compactor)]),
    );
    for (const s of writers) expect(s.resources, s.source).toEqual([arns.objects]);
    for (const role of [roles.fanout, roles.processor]) {
      expect(roleStatements(json, role).flatMap((s) => s.actions)).not.toContainEqual(
        expect.stringMatching(/^s3:(Put|Delete)/),
      );
    }
    expect(summarise(allIdentityStatements(json).filter((s) => s.source === uploader))).toEqual(
      [
        `s3:AbortMultipartUpload,s3:DeleteObject,s3:GetObject,s3:ListMultipartUploadParts,s3:PutObject -> ${arns.objects}`,
        `s3:ListBucket -> ${arns.bucket}`,
      ].sort(),
    );
    const policy = json.Resources[uploader]!.Properties!;
    expect(policy.ManagedPolicyName).toBe('Test-squash-uploader');
  });

  it('creates the uploader role only for an upload principal, trusting exactly that principal', () => {
    const { json, stack } = fixture();
    const role = json.Resources[logicalId(stack.search.indexBucket.uploaderRole!)]!.Properties!;
    expect(role.AssumeRolePolicyDocument).toEqual({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:role/ci' },
        },
      ],
      Version: '2012-10-17',
    });
    expect(role.ManagedPolicyArns).toEqual([{ Ref: logicalId(stack.search.indexBucket.uploaderPolicy) }]);
    const without = synth({ partitions: 1 });
    expect(without.stack.search.indexBucket.uploaderRole).toBeUndefined();
    expect(resourcesOfType(without.json, 'AWS::IAM::ManagedPolicy').map(([id]) => id)).toContain(
      logicalId(without.stack.search.indexBucket.uploaderPolicy),
    );
  });

  it('lets the API-key authorizer read only its secret', () => {
    const { json, stack } = fixture({ auth: 'lambda' });
    const api = stack.search.httpApi!;
    const role = logicalId(api.authorizerFunction!.role!);
    const logGroup = api.node.findChild('ApiKeyAuthorizer').node.findChild('Logs');
    expect(summarise(roleStatements(json, role))).toEqual(
      [
        `secretsmanager:GetSecretValue -> <${logicalId(api.apiKeySecret!)}>`,
        `${LOG_ACTIONS} -> <${logicalId(logGroup)}.Arn>`,
        XRAY,
      ].sort(),
    );
  });

  it('gives IAM callers a managed policy to invoke exactly this API', () => {
    const { json, stack } = fixture({ auth: 'iam' });
    const policy = stack.search.httpApi!.invokerPolicy!;
    const statements = allIdentityStatements(json).filter((s) => s.source === logicalId(policy));
    expect(summarise(statements)).toEqual([
      `execute-api:Invoke -> arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalId(stack.search.httpApi!.api)}>/$default/*`,
    ]);
  });

  it('never attaches AWS managed policies to the squash roles', () => {
    const { json, roles } = fixture();
    for (const role of Object.values(roles)) {
      expect(json.Resources[role]!.Properties!.ManagedPolicyArns).toBeUndefined();
    }
  });
});

/** IAM's StringLike: `*` matches any run of characters, `?` one character, case-sensitive. */
function stringLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}
