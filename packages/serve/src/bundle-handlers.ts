/**
 * The local workers run the handlers bundled exactly as the CDK stack bundles them (one shared
 * configuration in @squash/handler-bundle).
 */
export type { FunctionKind } from '@squash/handler-bundle';
export { bundleHandlers, REPO_ROOT } from '@squash/handler-bundle';
