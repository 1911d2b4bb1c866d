export type { AssignBalancedOptions, BalancedAssignment } from './assign-balanced.ts';
export { assignBalanced, DEFAULT_TOLERANCE } from './assign-balanced.ts';
export type { BalancedKMeansOptions, BalancedKMeansResult } from './balanced-kmeans.ts';
export { balancedKMeans } from './balanced-kmeans.ts';
export type { KMeansBackend } from './kmeans-backend.ts';
export { KMEANS_BACKENDS } from './kmeans-backend.ts';
export { nearestCentroids } from './nearest-centroids.ts';
export type { PartitionSizeBounds } from './partition-size-bounds.ts';
export { partitionSizeBounds } from './partition-size-bounds.ts';
export type { TrainCentroidsOptions, TrainedCentroids } from './train-centroids.ts';
export {
  DEFAULT_BALANCED_ITERATIONS,
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_MIN_TRAIN_ROWS,
  DEFAULT_TRAIN_ROWS_PER_PARTITION,
  trainCentroids,
} from './train-centroids.ts';
