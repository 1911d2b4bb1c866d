import { buildIndex } from '../src/index.ts';
import { runSearchBackendSuite } from './search-backend-suite.ts';

// exactThreshold 0 forces every partition through the approximate stages (Hamming prune on
// half the rows, OSQ ADC ranking, exact re-rank), which is what this suite must exercise; the
// default threshold would search these 1,000-row partitions exactly.
runSearchBackendSuite(
  'quantized multi-level index (approximate stages forced)',
  {
    build: (vectors, n, dim, metric, attributes) => {
      const index = buildIndex(vectors, n, dim, {
        metric,
        attributes,
        partitions: Math.max(1, Math.min(6, Math.floor(n / 8))),
      });
      return {
        search: (query, options) =>
          index.search(query, { ...options, parameters: { exactThreshold: 0, hammingKeep: 0.5 } }),
      };
    },
  },
  0.95,
);

runSearchBackendSuite(
  'quantized multi-level index (default parameters)',
  {
    build: (vectors, n, dim, metric, attributes) =>
      buildIndex(vectors, n, dim, {
        metric,
        attributes,
        partitions: Math.max(1, Math.min(6, Math.floor(n / 8))),
      }),
  },
  0.95,
);
