import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of `IndexBucket`. */
export interface IndexBucketProps {
  /** Key prefix of the indexes, e.g. `indexes`; readers and uploaders are confined to it. */
  readonly indexPrefix: string;
  /** `DESTROY` also empties the bucket on stack deletion (auto-delete custom resource). */
  readonly removalPolicy: RemovalPolicy;
  /** Principal that may assume the uploader role; no role is created without it. */
  readonly uploadPrincipalArn?: string;
}

/**
 * The S3 bucket holding squash indexes under one key prefix, with the permissions around it.
 *
 * - Encrypted with S3-managed keys (SSE-S3): no KMS request charges on the many ranged reads a
 *   query makes, and no key policy to manage. Switch to KMS only if a compliance rule demands it.
 * - Public access blocked, objects owned by the bucket owner, TLS 1.2+ enforced by bucket policy.
 * - Versioned, so an overwritten `CURRENT` or a deleted index version can be recovered for 30
 *   days; incomplete multipart uploads are aborted after 7 days so failed uploads cost nothing.
 * - Readers (`grantReadIndexes`) may `s3:GetObject` below the prefix and `s3:ListBucket` only with
 *   an `s3:prefix` under it; writers (`grantReadWriteIndexes`: the coordinator and the compactor)
 *   may also put and delete objects below the prefix, nothing else. Uploads go through the
 *   uploader managed policy (and, with `uploadPrincipalArn`, a role carrying it).
 * - Versioning keeps every overwritten or deleted object for 30 days, write-log entries and
 *   compacted-away versions included: storage of a write-heavy index grows by what it wrote in the
 *   last 30 days, not by its live size only.
 */
export class IndexBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly indexPrefix: string;
  /** Put/get/delete below the prefix: attach it to whoever uploads indexes. */
  readonly uploaderPolicy: iam.ManagedPolicy;
  /** Present when `uploadPrincipalArn` was given. */
  readonly uploaderRole?: iam.Role;

  constructor(scope: Construct, id: string, props: IndexBucketProps) {
    super(scope, id);
    this.indexPrefix = props.indexPrefix;
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { noncurrentVersionExpiration: Duration.days(30) },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
    this.uploaderPolicy = new iam.ManagedPolicy(this, 'UploaderPolicy', {
      managedPolicyName: `${Stack.of(this).stackName}-squash-uploader`,
      description: `Upload squash indexes to ${props.indexPrefix}/ of the stack's index bucket`,
      statements: [
        new iam.PolicyStatement({
          actions: [
            's3:PutObject',
            's3:GetObject',
            's3:DeleteObject',
            's3:AbortMultipartUpload',
            's3:ListMultipartUploadParts',
          ],
          resources: [this.objectsArn()],
        }),
        this.listStatement(),
      ],
    });
    if (props.uploadPrincipalArn !== undefined) {
      this.uploaderRole = new iam.Role(this, 'UploaderRole', {
        assumedBy: new iam.ArnPrincipal(props.uploadPrincipalArn),
        description: 'Uploads squash indexes (npm run upload)',
        managedPolicies: [this.uploaderPolicy],
      });
    }
  }

  /**
   * `s3://<bucket>/<prefix>`: the store root every index lives below, and exactly what
   * `grantReadIndexes` lets a reader open (a token until deploy).
   */
  rootUri(): string {
    return `s3://${this.bucket.bucketName}/${this.indexPrefix}`;
  }

  /** `s3://<bucket>/<prefix>/<name>`: the store URI of index `name` (a token until deploy). */
  indexUri(name: string): string {
    return `${this.rootUri()}/${name}`;
  }

  /** ARN of every object below the index prefix. */
  objectsArn(): string {
    return this.bucket.arnForObjects(`${this.indexPrefix}/*`);
  }

  /**
   * Read-only access below the prefix: `s3:GetObject` on its objects (GET, ranged GET and HEAD) and
   * `s3:ListBucket` restricted to `s3:prefix` values under it.
   *
   * The list grant is what makes a missing key read as "not found": S3 answers a GET or HEAD of a
   * missing key with 404 only to a caller allowed `s3:ListBucket` for it, and 403 AccessDenied to
   * anyone else. S3 evaluates that check with `s3:prefix` set to the requested key (Ceph RGW adopted
   * the same rule to match AWS, ceph/ceph#68577), so the prefix-conditioned grant gives 404 for every
   * key below the prefix and reveals nothing about keys outside it. Storage maps 404 to absence
   * (an index never uploaded answers 404 INDEX_NOT_FOUND) and 403 to a 500. Not verified against
   * AWS itself here: no emulator we can run evaluates IAM conditions (see infra/README.md).
   */
  grantReadIndexes(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.objectsArn()] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(this.listStatement());
  }

  /**
   * `grantReadIndexes` plus `s3:PutObject` (conditional puts included: the write log's
   * `If-None-Match: *` and `CURRENT`'s `If-Match` are PutObject requests) and `s3:DeleteObject` (and
   * so DeleteObjects) below the prefix. For the functions that write: the coordinator (catalog
   * definitions, log entries, deleted indexes) and the compactor (new versions, trimmed logs). No
   * multipart actions: neither writes through `putStream`, and an abandoned upload is aborted by
   * the bucket's 7-day lifecycle rule.
   */
  grantReadWriteIndexes(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [this.objectsArn()],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(this.listStatement());
  }

  private listStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.indexPrefix}/*`] } },
    });
  }
}
