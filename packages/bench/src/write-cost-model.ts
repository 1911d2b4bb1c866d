import { AWS_US_EAST_1_PRICES, type PriceTable } from './price-table.ts';

/**
 * What writing costs on the serverless path. A write request (`vectors/upsert` or
 * `vectors/delete`) is one API Gateway request and one coordinator invocation that lists the log
 * (`lastSequence`: one S3 LIST, plus one per lost race) and creates one log entry (one conditional
 * PUT). Every row is later folded into a version by a compaction, which reads the affected
 * partitions, writes the new version's objects and deletes the folded log entries.
 */
export interface WriteCostInputs {
  /** Rows per write request (the API allows up to 1,000). */
  readonly rowsPerRequest: number;
  /** Billed coordinator time of one write request, ms (validation, JSON, the two S3 calls). */
  readonly coordinatorMsPerRequest: number;
  /** Coordinator memory, MB. @default 1024 */
  readonly coordinatorMemoryMb?: number;
  /** Extra LIST+PUT attempts per request lost to concurrent writers (0 for one writer). @default 0 */
  readonly retriesPerRequest?: number;
  /** Rows folded by one compaction (the tail threshold). */
  readonly rowsPerCompaction: number;
  /** Billed compactor time of one compaction, summed over its invocations, ms. */
  readonly compactionMs: number;
  /** Compactor memory, MB. @default 3008 */
  readonly compactorMemoryMb?: number;
  /** Compactor invocations of one compaction (one per affected partition, plus the planner). */
  readonly compactionInvocations: number;
  /** S3 GET requests of one compaction (partition objects read, log entries read). */
  readonly compactionGets: number;
  /** S3 PUT/LIST requests of one compaction (new version's objects, manifest, CURRENT, lists). */
  readonly compactionPuts: number;
  /** Log entries one compaction deletes (DELETE requests are free on S3). */
  readonly compactionDeletes?: number;
}

export interface WriteCost {
  /** $ per million upserted (or deleted) rows, writes and their compaction together. */
  readonly dollarsPerMillionRows: number;
  readonly breakdown: {
    readonly apiGateway: number;
    readonly lambdaRequests: number;
    readonly lambdaDuration: number;
    readonly s3Requests: number;
    /** The compaction's share of the above (Lambda and S3), $ per million rows. */
    readonly compaction: number;
  };
}

const MB_PER_GB = 1024;

/** $ per million written rows (see `WriteCostInputs`). */
export function writeCost(inputs: WriteCostInputs, prices: PriceTable = AWS_US_EAST_1_PRICES): WriteCost {
  const requestsPerMillion = 1e6 / inputs.rowsPerRequest;
  const compactionsPerMillion = 1e6 / inputs.rowsPerCompaction;
  const attempts = 1 + (inputs.retriesPerRequest ?? 0);
  const writeGbSeconds =
    (inputs.coordinatorMsPerRequest / 1000) * ((inputs.coordinatorMemoryMb ?? 1024) / MB_PER_GB);
  const compactionGbSeconds = (inputs.compactionMs / 1000) * ((inputs.compactorMemoryMb ?? 3008) / MB_PER_GB);
  const put = prices.s3PutDollarsPer1000 / 1000;
  const get = prices.s3GetDollarsPer1000 / 1000;
  const compactionS3 = inputs.compactionGets * get + inputs.compactionPuts * put;
  const compactionLambda =
    compactionGbSeconds * prices.lambdaArmDollarsPerGbSecond +
    inputs.compactionInvocations * prices.lambdaDollarsPerRequest;
  const breakdown = {
    apiGateway: requestsPerMillion * (prices.httpApiDollarsPerMillion / 1e6),
    lambdaRequests:
      requestsPerMillion * prices.lambdaDollarsPerRequest +
      compactionsPerMillion * inputs.compactionInvocations * prices.lambdaDollarsPerRequest,
    lambdaDuration:
      requestsPerMillion * writeGbSeconds * prices.lambdaArmDollarsPerGbSecond +
      compactionsPerMillion * compactionGbSeconds * prices.lambdaArmDollarsPerGbSecond,
    // One LIST and one PUT per attempt, both billed at the PUT/LIST rate.
    s3Requests: requestsPerMillion * attempts * 2 * put + compactionsPerMillion * compactionS3,
    compaction: compactionsPerMillion * (compactionLambda + compactionS3),
  };
  return {
    dollarsPerMillionRows:
      breakdown.apiGateway + breakdown.lambdaRequests + breakdown.lambdaDuration + breakdown.s3Requests,
    breakdown,
  };
}

/** What read-your-writes adds to a query on an index with an unindexed tail. */
export interface ReadYourWritesInputs {
  /** Coordinator time of the exact search over the tail and the merge, per query, ms (measured). */
  readonly tailSearchMs: number;
  /** Coordinator memory, MB. @default 1024 */
  readonly coordinatorMemoryMb?: number;
  /** New log entries a coordinator reads per query (writes per query seen by this coordinator). @default 0 */
  readonly entriesReadPerQuery?: number;
  /**
   * Whether the query reads fresh state (one S3 LIST of the log per query). Opt-in bounded
   * staleness skips it while the cached tail is younger than the version-check interval. @default true
   */
  readonly readYourWrites?: boolean;
}

/**
 * $ per million queries that the log tail adds: the LIST that makes each query see every write
 * acknowledged before it started, GETs of entries this coordinator has not read yet, and the
 * coordinator's time for the exact tail search.
 */
export function readYourWritesDollarsPerMillionQueries(
  inputs: ReadYourWritesInputs,
  prices: PriceTable = AWS_US_EAST_1_PRICES,
): { total: number; list: number; gets: number; tailSearch: number } {
  const list = (inputs.readYourWrites ?? true) ? prices.s3PutDollarsPer1000 / 1000 : 0;
  const gets = (inputs.entriesReadPerQuery ?? 0) * (prices.s3GetDollarsPer1000 / 1000);
  const tailSearch =
    (inputs.tailSearchMs / 1000) *
    ((inputs.coordinatorMemoryMb ?? 1024) / MB_PER_GB) *
    prices.lambdaArmDollarsPerGbSecond;
  const perMillion = (d: number) => d * 1e6;
  return {
    total: perMillion(list + gets + tailSearch),
    list: perMillion(list),
    gets: perMillion(gets),
    tailSearch: perMillion(tailSearch),
  };
}
