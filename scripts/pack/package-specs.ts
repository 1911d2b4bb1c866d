/**
 * The packages this repository publishes, and how each is built from its workspace. Names keep
 * the `@squash` scope of the workspaces, so an import reads the same inside the repository and in
 * a user's project (`import { SquashClient } from '@squash/client'`); the construct is published
 * as `@squash/cdk` because its workspace (`@squash/infra`) is the whole CDK app, while the package
 * holds the construct library only. Publishing needs the `squash` scope on the registry.
 */
export interface PackageSpec {
  /** Published name. */
  readonly name: string;
  /** The workspace whose version and description the package takes, e.g. `@squash/client`. */
  readonly workspace: string;
  /**
   * Module bundled into `dist/index.mjs`, relative to the repository root. For a `bin`, the module
   * exporting `runProcess(argv): Promise<number>`, which the command calls.
   */
  readonly entry: string;
  /** One line for the registry. @default the workspace's description */
  readonly description?: string;
  /**
   * A command: `dist/<bin>.mjs` is the bundled entry, run by Node with a shebang; no library
   * exports and no declarations (the CLI is an application).
   */
  readonly bin?: string;
  /**
   * Bundle third-party code too, instead of leaving it to `dependencies`. For applications only:
   * one file loads much faster than the AWS SDK's hundreds of modules (`squash --help` measured
   * 0.2 s bundled vs 0.6 s with external dependencies), at the price of no sharing with the
   * user's copies. Libraries keep dependencies external so users deduplicate them.
   * @default false
   */
  readonly bundleDependencies?: boolean;
  /**
   * Imports that stay external without being declared: only reachable inside the repository
   * (esbuild to bundle handlers from source, tsx to run TypeScript workers). @default []
   */
  readonly devOnlyImports?: readonly string[];
  /** Third-party packages the user brings (declared as `^<version the workspaces pin>`). @default [] */
  readonly peerDependencies?: readonly string[];
  /** Ship `dist/handlers` (prebuilt Lambda handler bundles). @default false */
  readonly handlers?: boolean;
  /** Ship the local Lambda runtime's worker entry files next to the bundle. @default false */
  readonly workerEntries?: boolean;
}

export const PACKAGE_SPECS: readonly PackageSpec[] = [
  {
    name: '@squash/cli',
    workspace: '@squash/cli',
    entry: 'packages/cli/src/main.ts',
    bin: 'squash',
    bundleDependencies: true,
    devOnlyImports: ['esbuild', 'tsx'],
    handlers: true,
    workerEntries: true,
  },
  {
    name: '@squash/client',
    workspace: '@squash/client',
    entry: 'packages/client/src/index.ts',
  },
  {
    name: '@squash/cdk',
    workspace: '@squash/infra',
    entry: 'infra/lib/index.ts',
    description:
      'AWS CDK construct SquashVectorSearch: serverless filtered vector search (S3 index bucket, Lambda query tree, HTTP API), with prebuilt handler bundles.',
    devOnlyImports: ['esbuild'],
    peerDependencies: ['aws-cdk-lib', 'constructs'],
    handlers: true,
  },
];
