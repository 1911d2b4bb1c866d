export type { FunctionKind } from './bundle-handlers.ts';
export { buildHandler, bundleHandler, bundleHandlers, functionKinds, REPO_ROOT } from './bundle-handlers.ts';
export type { HandlerBuildOptions } from './handler-bundle.ts';
export { esbuildBuildOptions, HANDLER_BUNDLE } from './handler-bundle.ts';
export type { PrebuiltHandlers } from './prebuilt-handlers.ts';
export {
  PREBUILT_MANIFEST_FILE,
  packagedHandlers,
  readPrebuiltHandlers,
  writePrebuiltHandlers,
} from './prebuilt-handlers.ts';
