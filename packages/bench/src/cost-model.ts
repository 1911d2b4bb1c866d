import { AWS_US_EAST_1_PRICES, HOURS_PER_MONTH, type InstancePrice, type PriceTable } from './price-table.ts';

/**
 * What one request costs to run on the serverless path, in measured or modelled quantities.
 * A request carries `queriesPerRequest` queries (1 for `/query`, up to 1000 for `/query:batch`);
 * all outputs are per query.
 */
export interface ServerlessCostInputs {
  /** Compute of one partition search for one query, warm, in ms (measured in-process). */
  readonly computeMsPerPartitionSearch: number;
  /** Partitions searched per query. */
  readonly partitionsPerQuery: number;
  /** Processor invocations per request. */
  readonly processorInvocationsPerRequest: number;
  /**
   * Invocations that wait for their children per request: the coordinator plus fan-out tree
   * nodes. Each is billed for the whole request latency (Lambda bills wall time, also while a
   * function waits on a synchronous invoke). @default 1
   */
  readonly waitingInvocationsPerRequest?: number;
  /** Queries per request. @default 1 */
  readonly queriesPerRequest?: number;
  /** End-to-end request latency in ms, billed to every waiting invocation. */
  readonly requestLatencyMs: number;
  /** Memory of a processor function, MB. */
  readonly processorMemoryMb: number;
  /** Memory of the fan-out tree functions, MB. @default 1024 */
  readonly waitingMemoryMb?: number;
  /** Memory of the coordinator (one of the waiting invocations), MB. @default waitingMemoryMb */
  readonly coordinatorMemoryMb?: number;
  /** Fixed billed work per processor invocation besides the searches (parse, merge, JSON), ms. @default 2 */
  readonly overheadMsPerInvocation?: number;
  /** Bytes read from S3 per query while warm (0 when partitions stay cached). @default 0 */
  readonly bytesReadPerQuery?: number;
  /** Bytes one S3 GET returns (ranged reads or whole objects). @default 8 MiB */
  readonly bytesPerGet?: number;
  /** Share of processor invocations that start cold. @default 0 */
  readonly coldStartShare?: number;
  /** Billed init time of a cold processor (runtime + bundle), ms. @default 500 */
  readonly coldStartMs?: number;
  /** Bytes a cold processor loads (its partitions). @default 0 */
  readonly coldLoadBytes?: number;
  /** S3 objects a cold processor reads. @default 4 */
  readonly coldLoadObjects?: number;
  /** S3 first-byte latency, ms. @default 50 */
  readonly s3FirstByteMs?: number;
  /** S3 throughput into one function, MB/s. @default 90 */
  readonly s3ThroughputMbPerS?: number;
}

export interface ServerlessCost {
  /** Total $ per million queries. */
  readonly dollarsPerMillionQueries: number;
  /** The same split by line item ($ per million queries). */
  readonly breakdown: {
    readonly lambdaDuration: number;
    readonly lambdaRequests: number;
    readonly apiGateway: number;
    readonly s3Requests: number;
  };
}

const MB_PER_GB = 1024;

/**
 * $ per million queries of the serverless path (Lambda arm64 + API Gateway HTTP API + S3 GETs).
 * Billed Lambda duration per request = processors x overhead + compute x partitions x queries
 * + waiting functions x latency, plus, for the cold share, init time and the partition load
 * (first byte + bytes / throughput). Lambda rounds each invocation up to 1 ms; ignored here (the
 * figures are averages over many invocations).
 */
export function serverlessCost(
  inputs: ServerlessCostInputs,
  prices: PriceTable = AWS_US_EAST_1_PRICES,
): ServerlessCost {
  const q = inputs.queriesPerRequest ?? 1;
  const waiting = inputs.waitingInvocationsPerRequest ?? 1;
  const processors = inputs.processorInvocationsPerRequest;
  const coldShare = inputs.coldStartShare ?? 0;
  const coldLoadBytes = inputs.coldLoadBytes ?? 0;
  const coldLoadMs =
    (inputs.coldStartMs ?? 500) +
    (inputs.s3FirstByteMs ?? 50) +
    coldLoadBytes / 1e6 / ((inputs.s3ThroughputMbPerS ?? 90) / 1000);
  const processorMs =
    processors * ((inputs.overheadMsPerInvocation ?? 2) + coldShare * coldLoadMs) +
    inputs.computeMsPerPartitionSearch * inputs.partitionsPerQuery * q;
  const treeMb = inputs.waitingMemoryMb ?? 1024;
  const coordinatorMb = inputs.coordinatorMemoryMb ?? treeMb;
  const gbSeconds =
    (processorMs / 1000) * (inputs.processorMemoryMb / MB_PER_GB) +
    (inputs.requestLatencyMs / 1000) * ((coordinatorMb + (waiting - 1) * treeMb) / MB_PER_GB);
  const gets =
    ((inputs.bytesReadPerQuery ?? 0) * q) / (inputs.bytesPerGet ?? 8 * 1024 * 1024) +
    processors * coldShare * (inputs.coldLoadObjects ?? 4);
  const perRequest = {
    lambdaDuration: gbSeconds * prices.lambdaArmDollarsPerGbSecond,
    lambdaRequests: (processors + waiting) * prices.lambdaDollarsPerRequest,
    apiGateway: prices.httpApiDollarsPerMillion / 1e6,
    s3Requests: (gets / 1000) * prices.s3GetDollarsPer1000,
  };
  const perMillion = (dollarsPerRequest: number): number => (dollarsPerRequest / q) * 1e6;
  const breakdown = {
    lambdaDuration: perMillion(perRequest.lambdaDuration),
    lambdaRequests: perMillion(perRequest.lambdaRequests),
    apiGateway: perMillion(perRequest.apiGateway),
    s3Requests: perMillion(perRequest.s3Requests),
  };
  return {
    dollarsPerMillionQueries:
      breakdown.lambdaDuration + breakdown.lambdaRequests + breakdown.apiGateway + breakdown.s3Requests,
    breakdown,
  };
}

/** $ per month of an idle serverless index: S3 storage only (Lambda and API Gateway bill per use). */
export function idleDollarsPerMonth(indexBytes: number, prices: PriceTable = AWS_US_EAST_1_PRICES): number {
  return (indexBytes / 1e9) * prices.s3StorageDollarsPerGbMonth;
}

export interface AlwaysOnServerOptions {
  /** Bytes the server keeps in RAM. */
  readonly indexBytes: number;
  /** Sustained queries per second the server must carry. */
  readonly qps: number;
  /** RAM needed = indexBytes x headroom. @default 1.5 */
  readonly headroom?: number;
  /** Queries per second one vCPU serves (measured in-process); undefined ignores CPU sizing. */
  readonly qpsPerVcpu?: number;
}

export interface AlwaysOnServerCost {
  /** The instance type chosen (the smallest whose RAM fits; the largest when none does). */
  readonly instance: InstancePrice;
  /** Instances needed: shards for memory times replicas for CPU. */
  readonly count: number;
  readonly dollarsPerMonth: number;
  /** dollarsPerMonth spread over a month of queries at `qps`. */
  readonly dollarsPerMillionQueries: number;
}

/**
 * An always-on server (EC2 on-demand) holding the index in RAM: the smallest instance whose RAM
 * is at least indexBytes x headroom; past the largest instance, as many of the largest as fit
 * the index (shards); and, when `qpsPerVcpu` is given, enough of them for the load.
 */
export function alwaysOnServerCost(
  options: AlwaysOnServerOptions,
  prices: PriceTable = AWS_US_EAST_1_PRICES,
): AlwaysOnServerCost {
  const needGib = (options.indexBytes * (options.headroom ?? 1.5)) / 2 ** 30;
  const byPrice = [...prices.instances].sort((a, b) => a.dollarsPerHour - b.dollarsPerHour);
  const largest = byPrice.reduce((a, b) => (b.memoryGib > a.memoryGib ? b : a));
  const instance = byPrice.find((i) => i.memoryGib >= needGib) ?? largest;
  const shards = Math.max(1, Math.ceil(needGib / instance.memoryGib));
  // Every query visits every shard, so each shard needs the replicas the whole load asks for
  // (conservative: a shard's query is cheaper than a whole-index query).
  const replicas =
    options.qpsPerVcpu === undefined
      ? 1
      : Math.max(1, Math.ceil(options.qps / (options.qpsPerVcpu * instance.vcpus)));
  const count = shards * replicas;
  const dollarsPerMonth = count * instance.dollarsPerHour * HOURS_PER_MONTH;
  const queriesPerMonth = options.qps * HOURS_PER_MONTH * 3600;
  return {
    instance,
    count,
    dollarsPerMonth,
    dollarsPerMillionQueries: queriesPerMonth > 0 ? (dollarsPerMonth / queriesPerMonth) * 1e6 : Infinity,
  };
}

/** Queries per month at which the always-on server and the serverless path cost the same. */
export function breakEvenQueriesPerMonth(
  serverDollarsPerMonth: number,
  serverlessDollarsPerMillion: number,
): number {
  return (serverDollarsPerMonth / serverlessDollarsPerMillion) * 1e6;
}
