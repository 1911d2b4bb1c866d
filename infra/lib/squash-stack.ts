import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { SquashStackProps } from './squash-stack-props.ts';
import { SquashVectorSearch } from './squash-vector-search.ts';

/**
 * The squash deployment as the CDK app (`infra/bin/squash-app.ts`) builds it: one
 * `SquashVectorSearch` and the stack outputs the upload and test scripts read.
 *
 * The construct has the id `Default`, which CDK leaves out of logical IDs, so every resource keeps
 * the logical ID it had when this stack created the resources itself: redeploying an existing
 * stack replaces nothing (a changed logical ID would replace the bucket, orphaning the retained
 * one, and every function). `infra/test/squash-vector-search.test.ts` pins this.
 *
 * The stack is environment-agnostic (no account or region is needed to synthesise it), so
 * `cdk synth` works offline; `cdk deploy` takes both from the CLI's credentials.
 */
export class SquashStack extends Stack {
  readonly search: SquashVectorSearch;

  constructor(scope: Construct, id: string, props: SquashStackProps = {}) {
    super(scope, id, {
      description:
        'squash: serverless filtered vector search (index bucket, query and compactor functions, HTTP API)',
      ...props,
    });
    this.search = new SquashVectorSearch(this, 'Default', props);
    this.addOutputs();
  }

  private addOutputs(): void {
    const search = this.search;
    if (search.apiUrl !== undefined) {
      new CfnOutput(this, 'ApiUrl', { value: search.apiUrl, description: 'Base URL of the HTTP API' });
    }
    new CfnOutput(this, 'BucketName', {
      value: search.bucket.bucketName,
      description: `Index bucket; upload with npm run upload -- --bucket <this> --prefix ${search.indexPrefix}`,
    });
    new CfnOutput(this, 'IndexPrefix', { value: search.indexPrefix });
    new CfnOutput(this, 'CoordinatorFunctionName', { value: search.coordinatorFunctionName });
    new CfnOutput(this, 'FanoutFunctionName', { value: search.fanoutFunctionName });
    new CfnOutput(this, 'CompactorFunctionName', {
      value: search.compactorFunctionName,
      description:
        'Started asynchronously by writes; invoke with {"kind":"compact","index","indexUri"} to compact by hand',
    });
    new CfnOutput(this, 'ProcessorFunctionNames', {
      value: this.toJsonString(search.processorFunctionNames),
      description: 'JSON array, in partition-group order',
    });
    new CfnOutput(this, 'UploaderPolicyArn', { value: search.indexBucket.uploaderPolicy.managedPolicyArn });
    if (search.indexBucket.uploaderRole !== undefined) {
      new CfnOutput(this, 'UploaderRoleArn', { value: search.indexBucket.uploaderRole.roleArn });
    }
    if (search.httpApi?.invokerPolicy !== undefined) {
      new CfnOutput(this, 'InvokerPolicyArn', { value: search.httpApi.invokerPolicy.managedPolicyArn });
    }
    if (search.httpApi?.apiKeySecret !== undefined) {
      new CfnOutput(this, 'ApiKeySecretArn', {
        value: search.httpApi.apiKeySecret.secretArn,
        description: 'aws secretsmanager get-secret-value --secret-id <this> --query SecretString',
      });
    }
  }
}
