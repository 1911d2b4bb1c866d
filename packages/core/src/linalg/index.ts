export type { CovarianceOptions } from './covariance.ts';
export { covariance, secondMoment } from './covariance.ts';
export { multiplyMatrices, transposeMatrix } from './dense-matrix.ts';
export { meanRows } from './mean-rows.ts';
export type { RowSelectionOptions } from './row-selection.ts';
export type { SymmetricEigen } from './symmetric-eigen.ts';
export { symmetricEigen } from './symmetric-eigen.ts';
export type { ThinQr } from './thin-qr.ts';
export { thinQr } from './thin-qr.ts';
