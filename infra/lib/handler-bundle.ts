import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How every squash handler is bundled: one ES module per function, built locally with esbuild
 * (never in Docker). `SquashFunction` turns this into `NodejsFunction` bundling options and the
 * bundle test (`infra/test/bundle.test.ts`) into esbuild build options, so the test loads exactly
 * what would be deployed.
 *
 * Trade-offs, each written down because each one changes what runs in Lambda:
 * - `format: 'esm'`, `.mjs` output: the workspace is ESM-only; top-level await works.
 * - `banner`: bundled CommonJS dependencies call `require` for Node built-ins, which does not
 *   exist in an ES module; `createRequire` supplies it.
 * - `mainFields: ['module', 'main']`: prefer the ESM build of dependencies (better tree shaking).
 * - `externalModules: []`: the AWS SDK is bundled, not taken from the Lambda runtime. That pins the
 *   SDK version the tests ran against and covers `@aws-sdk/lib-storage`, which the runtime does not
 *   ship. It costs bundle size (read once per cold start); `minify` keeps it down.
 * - `sourcemap: false`: `--enable-source-maps` slows every stack trace and source maps double the
 *   artefact; error messages carry stable codes instead.
 */
export const HANDLER_BUNDLE = {
  format: 'esm',
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  minify: true,
  sourcemap: false,
  externalModules: [] as readonly string[],
  /** File name `NodejsFunction` gives an ESM bundle; the Lambda handler string is `index.handler`. */
  outputFile: 'index.mjs',
  /** Export every handler module must provide. */
  handlerExport: 'handler',
} as const;

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

/** `HANDLER_BUNDLE` as esbuild build options writing `entryPath`'s bundle to `outfile`. */
export function esbuildBuildOptions(entryPath: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entryPath],
    outfile,
    bundle: true,
    format: HANDLER_BUNDLE.format,
    target: HANDLER_BUNDLE.target,
    platform: HANDLER_BUNDLE.platform,
    mainFields: [...HANDLER_BUNDLE.mainFields],
    banner: { js: HANDLER_BUNDLE.banner },
    minify: HANDLER_BUNDLE.minify,
    sourcemap: HANDLER_BUNDLE.sourcemap,
    external: [...HANDLER_BUNDLE.externalModules],
    logLevel: 'silent',
  };
}
