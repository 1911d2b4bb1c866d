export type { FunctionKind } from './bundle-handlers.ts';
export { bundleHandler, bundleHandlers, functionKinds, REPO_ROOT } from './bundle-handlers.ts';
export { esbuildBuildOptions, HANDLER_BUNDLE } from './handler-bundle.ts';
export {
  PREBUILT_MANIFEST_FILE,
  packagedHandlers,
  readPrebuiltHandlers,
  writePrebuiltHandlers,
} from './prebuilt-handlers.ts';
