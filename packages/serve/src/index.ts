export type { FunctionKind } from './bundle-handlers.ts';
export { bundleHandlers, REPO_ROOT } from './bundle-handlers.ts';
export type { HttpFront, HttpFrontOptions, LaneStats } from './http-front.ts';
export { startHttpFront } from './http-front.ts';
export { buildSampleIndex, SAMPLE_DEFINITION, SAMPLE_INDEX_DIR } from './sample-index.ts';
export type { RejectionCode, ServeErrorCode, StartErrorCode } from './serve-errors.ts';
export { REJECTION_STATUS, RequestRejectedError, ServeError, StartError } from './serve-errors.ts';
export type { SquashServer, SquashServerOptions } from './squash-server.ts';
export { API_KEY_ENV, READS_COORDINATOR, startSquashServer } from './squash-server.ts';
