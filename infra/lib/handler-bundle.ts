import { dirname } from 'node:path';
import { HANDLER_ENTRIES } from '@squash/contracts';
import { HANDLER_BUNDLE, packagedHandlers } from '@squash/handler-bundle';
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

/**
 * The directory holding the prebuilt bundle of the handler at `entry` (one of `HANDLER_ENTRIES`),
 * ready to deploy as the function's code asset, when the construct runs from a packed package
 * (`dist/handlers/<kind>/index.mjs`, built at pack time with `HANDLER_BUNDLE`). `undefined`
 * inside the repository, where `NodejsFunction` bundles the handler from source at synth, and for
 * an entry that is not one of `HANDLER_ENTRIES` (a caller's own `projectRoot`).
 */
export function prebuiltHandlerDir(entry: string): string | undefined {
  const kind = (Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]).find(
    (candidate) => HANDLER_ENTRIES[candidate] === entry,
  );
  const bundles = kind === undefined ? undefined : packagedHandlers();
  return kind === undefined || bundles === undefined ? undefined : dirname(bundles[kind]);
}
