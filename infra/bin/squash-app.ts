/**
 * The CDK app (`cdk.json`: `npx tsx infra/bin/squash-app.ts`). One `SquashStack`, configured by
 * context values and `SQUASH_MANIFEST`; see `CONTEXT_KEYS` in `infra/lib/app-context.ts`.
 *
 *   npx cdk synth -c indexName=mnist -c partitions=16
 *   SQUASH_MANIFEST=./data/mnist npx cdk deploy
 *
 * No account or region is bound at synth time: the template is environment-agnostic, so synth
 * needs no credentials.
 */
import { App } from 'aws-cdk-lib';
import { stackSpecFromContext } from '../lib/app-context.ts';
import { readLocalIndexManifest } from '../lib/index-manifest.ts';
import { SquashStack } from '../lib/squash-stack.ts';

const app = new App();
const { stackName, props, manifestDir } = stackSpecFromContext(
  (key) => app.node.tryGetContext(key),
  process.env,
);
// The index format's reader is asynchronous (it reads through a BlobStore), constructs are not:
// read the manifest first, then build the stack from plain values.
const manifest = manifestDir === undefined ? undefined : await readLocalIndexManifest(manifestDir);
new SquashStack(app, stackName, { ...props, ...(manifest === undefined ? {} : { manifest }) });
app.synth();
