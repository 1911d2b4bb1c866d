import { createScanner } from '../distance/create-scanner.ts';
import type { VectorScanner } from '../distance/vector-scanner.ts';
import { type CentroidTable, createCentroidTable, squaredL2BlockImpl } from './squared-l2-kernels.ts';

/**
 * Squared L2 distances from blocks of data rows to every one of a fixed set of centroids: the
 * bulk of k-means work (Lloyd's assignment step and the balanced assignment of all rows). Each
 * call writes `out[r * partitions + c]` for r < rowCount and c < partitions, as float32.
 *
 * For a given object the value for a (row, centroid) pair does not depend on the block it was
 * computed in, so a single row re-measured later (the greedy fallback) compares exactly with the
 * stored candidate distances.
 */
export interface CentroidDistances {
  readonly backend: 'ts' | 'wasm';
  readonly partitions: number;
  blockDistances(data: Float32Array, rowStart: number, rowCount: number, out: Float32Array): void;
}

/** Distances to `partitions` centroids (partitions x dim) with the resolved backend. */
export function createCentroidDistances(
  centroids: Float32Array,
  partitions: number,
  dim: number,
  backend: 'ts' | 'wasm',
): CentroidDistances {
  return backend === 'wasm'
    ? new WasmCentroidDistances(centroids, partitions, dim)
    : new TsCentroidDistances(centroids, partitions, dim);
}

/** Rows per kernel call of the TypeScript path; its float64 scratch is this x stride. */
const TS_BLOCK_ROWS = 64;

/** The blocked 2x4 TypeScript kernel (`squaredL2BlockImpl`), float64 accumulation. */
class TsCentroidDistances implements CentroidDistances {
  readonly backend = 'ts' as const;
  private readonly table: CentroidTable;
  private readonly scratch: Float64Array;

  constructor(
    centroids: Float32Array,
    readonly partitions: number,
    dim: number,
  ) {
    this.table = createCentroidTable(centroids, partitions, dim);
    this.scratch = new Float64Array(TS_BLOCK_ROWS * this.table.stride);
  }

  blockDistances(data: Float32Array, rowStart: number, rowCount: number, out: Float32Array): void {
    const { table, scratch, partitions } = this;
    for (let done = 0; done < rowCount; done += TS_BLOCK_ROWS) {
      const rows = Math.min(TS_BLOCK_ROWS, rowCount - done);
      squaredL2BlockImpl(data, rowStart + done, rows, table, scratch);
      for (let r = 0; r < rows; r++) {
        const from = r * table.stride;
        const to = (done + r) * partitions;
        for (let c = 0; c < partitions; c++) out[to + c] = scratch[from + c]!;
      }
    }
  }
}

/**
 * The WebAssembly SIMD scanner (`createScanner`) built over the centroids, queried once per data
 * row: the centroid matrix (partitions x dim floats) stays cache-resident while rows stream past.
 * Rows are copied into one reused query buffer, so nothing is allocated per row on this side.
 */
class WasmCentroidDistances implements CentroidDistances {
  readonly backend = 'wasm' as const;
  private readonly scanner: VectorScanner;
  private readonly query: Float32Array;
  private readonly rowOut: Float32Array;

  constructor(
    centroids: Float32Array,
    readonly partitions: number,
    private readonly dim: number,
  ) {
    this.scanner = createScanner('l2', centroids.subarray(0, partitions * dim), dim, { backend: 'wasm' });
    this.query = new Float32Array(dim);
    this.rowOut = new Float32Array(partitions);
  }

  blockDistances(data: Float32Array, rowStart: number, rowCount: number, out: Float32Array): void {
    const { scanner, query, rowOut, dim, partitions } = this;
    for (let r = 0; r < rowCount; r++) {
      const offset = (rowStart + r) * dim;
      for (let j = 0; j < dim; j++) query[j] = data[offset + j]!;
      scanner.distancesToAll(query, rowOut);
      out.set(rowOut, r * partitions);
    }
  }
}
