import { type ServerlessCost, serverlessCost } from './cost-model.ts';

/**
 * Latency and platform assumptions of the scale projection (docs/scale.md states the sources).
 * Every default is an assumption, not a measurement.
 */
export interface PlatformAssumptions {
  /** Median of one warm synchronous Lambda invoke hop (request + response), ms. @default 15 */
  readonly invokeMedianMs: number;
  /** 99th percentile of one warm invoke hop, ms (the hop is modelled log-normal). @default 60 */
  readonly invokeP99Ms: number;
  /** API Gateway HTTP API added latency, ms. @default 5 */
  readonly apiGatewayMs: number;
  /** Init of a cold Node.js processor with a ~10 MB bundle, ms. @default 600 */
  readonly coldStartMs: number;
  /** S3 first-byte latency, ms. @default 50 */
  readonly s3FirstByteMs: number;
  /** S3 throughput into one function, MB/s. @default 90 */
  readonly s3ThroughputMbPerS: number;
  /** Share of processor invocations that start cold under steady traffic. @default 0.001 */
  readonly coldStartShare: number;
  /** Routing cost in the coordinator per centroid per reduced dimension, ns. @default 0.5 */
  readonly routingNsPerCentroidDim: number;
}

export const DEFAULT_PLATFORM: PlatformAssumptions = {
  invokeMedianMs: 15,
  invokeP99Ms: 60,
  apiGatewayMs: 5,
  coldStartMs: 600,
  s3FirstByteMs: 50,
  s3ThroughputMbPerS: 90,
  coldStartShare: 0.001,
  routingNsPerCentroidDim: 0.5,
};

/** What was measured here and is carried to larger scales. */
export interface MeasuredCalibration {
  /** Compute of one partition search (warm, one query), ms. */
  readonly computeMsPerPartitionSearch: number;
  /** Rows per partition of the run that measured it. */
  readonly rowsPerPartition: number;
  /** Partitions visited per query and total partitions in that run (fixes c in nprobe = c sqrt(P)). */
  readonly partitionsPerQuery: number;
  readonly partitions: number;
}

export interface ScaleScenario {
  readonly vectors: number;
  readonly dim: number;
  /** @default 64 */
  readonly reducedDim?: number;
  /** @default 4 */
  readonly bitsPerDim?: number;
  /** @default 20000 */
  readonly rowsPerPartition?: number;
  /** Processor memory, MB (Lambda allows 128..10240). @default 2048 */
  readonly processorMemoryMb?: number;
  /** Bytes of quantized attribute codes per vector held by the coordinator. @default 2 */
  readonly attributeCodeBytes?: number;
  /** @default 8 */
  readonly branching?: number;
}

export interface ScaleProjection {
  readonly vectors: number;
  readonly partitions: number;
  readonly partitionMb: number;
  readonly partitionsPerProcessor: number;
  readonly processorFunctions: number;
  readonly processorMemoryMb: number;
  readonly partitionsPerQuery: number;
  readonly processorsPerQuery: number;
  readonly treeDepth: number;
  readonly computeMsPerPartition: number;
  readonly indexBytes: number;
  /** Global routing state the coordinator holds today: membership + attribute codes + centroids. */
  readonly coordinatorStateMb: number;
  /** Time for a cold coordinator to load that state from S3, s. */
  readonly coordinatorColdLoadSeconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cost: ServerlessCost;
}

const Z99 = 2.326;

/** Quantile u of a log-normal with the given median and 99th percentile. */
function logNormalQuantile(medianMs: number, p99Ms: number, u: number): number {
  const sigma = Math.log(p99Ms / medianMs) / Z99;
  return medianMs * Math.exp(sigma * inverseNormal(u));
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: number[], x: number): number => k.reduce((s, v) => s * x + v, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

export interface LatencyModelInputs {
  readonly hops: number;
  /** Parallel siblings per hop level (the max over them is what the caller waits for). */
  readonly widthPerHop: number;
  readonly fixedMs: number;
  readonly processors: number;
  readonly coldPenaltyMs: number;
}

/**
 * Latency quantile u of a query: fixed work + `hops` invoke hops, each the max over
 * `widthPerHop` log-normal siblings (quantile u^(1/width)); plus the cold penalty when the chance
 * that any of `processors` invocations is cold exceeds 1 - u.
 */
export function latencyQuantileMs(
  inputs: LatencyModelInputs,
  platform: Pick<PlatformAssumptions, 'invokeMedianMs' | 'invokeP99Ms' | 'coldStartShare'>,
  u: number,
): number {
  const width = Math.max(1, inputs.widthPerHop);
  const perHop = logNormalQuantile(platform.invokeMedianMs, platform.invokeP99Ms, u ** (1 / width));
  const anyCold = 1 - (1 - platform.coldStartShare) ** inputs.processors;
  return inputs.fixedMs + inputs.hops * perHop + (anyCold > 1 - u ? inputs.coldPenaltyMs : 0);
}

/** Projects partitions, functions, tree depth, latency and cost of one scale scenario. */
export function projectScale(
  scenario: ScaleScenario,
  calibration: MeasuredCalibration,
  platform: PlatformAssumptions = DEFAULT_PLATFORM,
): ScaleProjection {
  const reducedDim = scenario.reducedDim ?? 64;
  const rows = scenario.rowsPerPartition ?? 20_000;
  const memoryMb = scenario.processorMemoryMb ?? 2048;
  const branching = scenario.branching ?? 8;
  const bytesPerVector = scenario.dim * 4 + (reducedDim * (scenario.bitsPerDim ?? 4)) / 8 + 8;
  const partitions = Math.ceil(scenario.vectors / rows);
  const partitionMb = (rows * bytesPerVector) / 1e6;
  // 30% of memory for the runtime, buffers and the search's scratch space.
  const perProcessor = Math.max(1, Math.floor((memoryMb * 0.7) / partitionMb));
  const functions = Math.ceil(partitions / perProcessor);
  const c = calibration.partitionsPerQuery / Math.sqrt(calibration.partitions);
  const probes = Math.min(partitions, Math.max(calibration.partitionsPerQuery, c * Math.sqrt(partitions)));
  // Visited partitions are the nearest centroids, spread over functions by partition number.
  const processors = Math.min(functions, Math.ceil(probes));
  const depth = Math.max(1, Math.ceil(Math.log(processors) / Math.log(branching)));
  const computeMs = calibration.computeMsPerPartitionSearch * (rows / calibration.rowsPerPartition);
  const probesPerProcessor = probes / processors;
  const touchedPerProcessor = Math.ceil(probesPerProcessor);
  const routingMs = (partitions * reducedDim * platform.routingNsPerCentroidDim) / 1e6;
  const coordinatorStateMb =
    (scenario.vectors * (4 + (scenario.attributeCodeBytes ?? 2)) + partitions * reducedDim * 4) / 1e6;
  const fixedMs = platform.apiGatewayMs + routingMs + probesPerProcessor * computeMs + 2;
  const latencyInputs: LatencyModelInputs = {
    hops: 1 + depth,
    widthPerHop: Math.min(branching, processors),
    fixedMs,
    processors,
    // A processor loads a partition on first use (its cache), so a cold one loads only the
    // partitions this query sends it, not all it serves.
    coldPenaltyMs:
      platform.coldStartMs +
      platform.s3FirstByteMs +
      ((touchedPerProcessor * partitionMb) / platform.s3ThroughputMbPerS) * 1000,
  };
  const p50Ms = latencyQuantileMs(latencyInputs, platform, 0.5);
  const p99Ms = latencyQuantileMs(latencyInputs, platform, 0.99);
  const treeNodes = processors <= branching ? 0 : Math.ceil(processors / branching);
  const indexBytes = scenario.vectors * bytesPerVector;
  return {
    vectors: scenario.vectors,
    partitions,
    partitionMb,
    partitionsPerProcessor: perProcessor,
    processorFunctions: functions,
    processorMemoryMb: memoryMb,
    partitionsPerQuery: probes,
    processorsPerQuery: processors,
    treeDepth: depth,
    computeMsPerPartition: computeMs,
    indexBytes,
    coordinatorStateMb,
    coordinatorColdLoadSeconds: coordinatorStateMb / platform.s3ThroughputMbPerS,
    p50Ms,
    p99Ms,
    cost: serverlessCost({
      computeMsPerPartitionSearch: computeMs,
      partitionsPerQuery: probes,
      processorInvocationsPerRequest: processors,
      waitingInvocationsPerRequest: 1 + treeNodes,
      requestLatencyMs: p50Ms,
      processorMemoryMb: memoryMb,
      waitingMemoryMb: 1024,
      coordinatorMemoryMb: Math.max(1024, Math.min(10_240, coordinatorStateMb * 1.5 + 256)),
      coldStartShare: platform.coldStartShare,
      coldStartMs: platform.coldStartMs,
      coldLoadBytes: touchedPerProcessor * partitionMb * 1e6,
      coldLoadObjects: touchedPerProcessor * 4,
      s3FirstByteMs: platform.s3FirstByteMs,
      s3ThroughputMbPerS: platform.s3ThroughputMbPerS,
    }),
  };
}
