export type { FunctionKind } from './bundle-handlers.ts';
export { bundleHandlers, REPO_ROOT } from './bundle-handlers.ts';
export { esbuildBuildOptions, HANDLER_BUNDLE } from './handler-bundle.ts';
