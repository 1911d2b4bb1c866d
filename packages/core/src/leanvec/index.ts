export type { FitLeanVecOptions, LeanVecQuerySample } from './fit-leanvec.ts';
export { DEFAULT_LEANVEC_SAMPLE_ROWS, fitLeanVec } from './fit-leanvec.ts';
export type { LeanVecModelJson } from './leanvec-json.ts';
export { LEANVEC_JSON_FORMAT, LEANVEC_JSON_VERSION, leanVecFromJSON, leanVecToJSON } from './leanvec-json.ts';
export type { InnerProductLoss } from './leanvec-loss.ts';
export { innerProductLoss, reconstructionError } from './leanvec-loss.ts';
export type { LeanVecKind, LeanVecModel } from './leanvec-model.ts';
export { reducedMetric } from './leanvec-model.ts';
export { projectData, projectQuery } from './leanvec-projection.ts';
