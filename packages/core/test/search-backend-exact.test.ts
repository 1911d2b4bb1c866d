import { ExactIndex } from '../src/index.ts';
import { runSearchBackendSuite } from './search-backend-suite.ts';

runSearchBackendSuite(
  'exact brute force',
  { build: (vectors, _n, dim, metric, attributes) => new ExactIndex(metric, vectors, dim, attributes) },
  1,
);
