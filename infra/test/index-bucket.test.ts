import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { logicalId, render, synth } from './support/synth.ts';

describe('index bucket', () => {
  it('encrypts with S3-managed keys, blocks public access, versions objects and expires old versions', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('denies every request without TLS, or with TLS older than 1.2', () => {
    const { template, stack } = synth();
    const bucket = logicalId(stack.search.indexBucket.bucket);
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(1);
    const statements = (
      policies[0]!.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>
    ).map((s) => ({
      effect: s.Effect,
      action: s.Action,
      condition: s.Condition,
      resources: [s.Resource].flat().map(render).sort(),
    }));
    const resources = [`<${bucket}.Arn>`, `<${bucket}.Arn>/*`];
    expect(statements).toContainEqual({
      effect: 'Deny',
      action: 's3:*',
      condition: { Bool: { 'aws:SecureTransport': 'false' } },
      resources,
    });
    expect(statements).toContainEqual({
      effect: 'Deny',
      action: 's3:*',
      condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      resources,
    });
    expect(statements.every((s) => s.effect === 'Deny')).toBe(true);
  });

  it('retains the bucket by default and adds no auto-delete function', () => {
    const { template } = synth();
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });

  it('deletes and empties the bucket on stack deletion only when the removal policy is DESTROY', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(1);
    template.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });
});
