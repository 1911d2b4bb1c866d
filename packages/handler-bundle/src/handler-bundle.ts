/**
 * How every squash handler is bundled: one ES module per function, built locally with esbuild
 * (never in Docker). The CDK construct turns this into `NodejsFunction` bundling options and
 * `squash serve` bundles its local workers with `esbuildBuildOptions`, so the local runtime runs
 * the same artefact shape that deploys.
 *
 * Trade-offs, each written down because each one changes what runs in Lambda:
 * - `format: 'esm'`, `.mjs` output: the workspace is ESM-only; top-level await works.
 * - `target: 'node22'`: the deployed runtime (nodejs22.x). Node 20 runs the output too: nothing in
 *   the handlers needs syntax newer than ES2022, which esbuild leaves as written.
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

/**
 * The esbuild build options `esbuildBuildOptions` returns: a structural subset of esbuild's
 * `BuildOptions`, declared here so the declarations of packages that re-export this (the CDK
 * construct) do not need esbuild installed.
 */
export interface HandlerBuildOptions {
  readonly entryPoints: string[];
  readonly outfile: string;
  readonly bundle: true;
  readonly format: typeof HANDLER_BUNDLE.format;
  readonly target: typeof HANDLER_BUNDLE.target;
  readonly platform: typeof HANDLER_BUNDLE.platform;
  readonly mainFields: string[];
  readonly banner: { js: string };
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly external: string[];
  readonly logLevel: 'silent';
}

/** `HANDLER_BUNDLE` as esbuild build options writing `entryPath`'s bundle to `outfile`. */
export function esbuildBuildOptions(entryPath: string, outfile: string): HandlerBuildOptions {
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
