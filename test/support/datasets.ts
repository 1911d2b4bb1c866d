/**
 * The dataset loaders moved to `@squash/datasets` (shared by tests and `packages/bench`); this
 * module keeps the names tests across the workspaces import.
 */
export type {
  LoadedDataset,
  LoadSharedDatasetOptions,
  MnistNpmData,
  SharedDatasetName,
} from '@squash/datasets';
export { loadMnistDigits as loadMnistNpm, loadSharedDataset, sharedDatasetsDir } from '@squash/datasets';
