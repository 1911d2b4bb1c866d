import { HANDLER_BUNDLE } from '@squash/handler-bundle';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** How every handler is bundled: one configuration, shared with `squash serve`'s local workers. */
export { esbuildBuildOptions, HANDLER_BUNDLE } from '@squash/handler-bundle';

/** `HANDLER_BUNDLE` as `NodejsFunction` bundling options: local esbuild only. */
export function nodejsBundlingOptions(): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: HANDLER_BUNDLE.target,
    mainFields: [...HANDLER_BUNDLE.mainFields],
    banner: HANDLER_BUNDLE.banner,
    minify: HANDLER_BUNDLE.minify,
    sourceMap: HANDLER_BUNDLE.sourcemap,
    externalModules: [...HANDLER_BUNDLE.externalModules],
  };
}
