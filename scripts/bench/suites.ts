import type { BenchSuite } from './bench-kit.ts';
import { dashboardSuite } from './dashboard-load.ts';
import { ingestSuite } from './ingest.ts';
import { queriesSuite } from './queries.ts';
import { startupSuite } from './startup.ts';
import { transformSuite } from './transform.ts';

/** Every benchmark suite, in the order `npm run bench` runs them. Each area adds its own here. */
export const SUITES: readonly BenchSuite[] = [
  startupSuite,
  transformSuite,
  queriesSuite,
  ingestSuite,
  dashboardSuite,
];
