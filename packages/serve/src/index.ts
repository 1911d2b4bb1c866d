export type { FunctionKind } from './bundle-handlers.ts';
export { bundleHandlers, REPO_ROOT } from './bundle-handlers.ts';
export type { HttpFrontOptions } from './http-front.ts';
export { startHttpFront } from './http-front.ts';
export { buildSampleIndex, loadMnistDigits, SAMPLE_INDEX_DIR } from './sample-index.ts';
export type { SquashServer, SquashServerOptions } from './squash-server.ts';
export { startSquashServer } from './squash-server.ts';
