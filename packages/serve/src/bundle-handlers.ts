/**
 * The local workers run the handlers bundled exactly as the CDK stack bundles them (one shared
 * configuration in @squash/handler-bundle).
 */
import {
  bundleHandlers as bundleFromSource,
  type FunctionKind,
  packagedHandlers,
} from '@squash/handler-bundle';

export type { FunctionKind } from '@squash/handler-bundle';
export { REPO_ROOT } from '@squash/handler-bundle';

/**
 * The handler module of every function: the prebuilt bundles shipped with an installed `squash`
 * CLI when there are any (then `outDir` is not touched), otherwise bundled from the repository's
 * sources into `outDir` (`<kind>.mjs`), which takes about a second.
 */
export async function bundleHandlers(outDir: string): Promise<Record<FunctionKind, string>> {
  return packagedHandlers() ?? bundleFromSource(outDir);
}
