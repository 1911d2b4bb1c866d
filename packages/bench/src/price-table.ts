/**
 * AWS list prices, us-east-1, on-demand, as configuration for the cost model. Sources and dates
 * are in docs/cost-model.md; every figure is the public list price of the first usage tier
 * (no free tier, no Savings Plans, no reserved instances). Update the table, not the model, when
 * prices change.
 */
export interface PriceTable {
  /** Where and when the prices were read (shown next to every cost figure). */
  readonly asOf: string;
  /** Lambda, arm64 (Graviton), $ per GB-second of billed duration (first 7.5 billion GB-s/month). */
  readonly lambdaArmDollarsPerGbSecond: number;
  /** Lambda, $ per request (any architecture). */
  readonly lambdaDollarsPerRequest: number;
  /** S3 Standard GET (and other read requests), $ per 1,000 requests. */
  readonly s3GetDollarsPer1000: number;
  /** S3 Standard PUT / COPY / POST / LIST, $ per 1,000 requests. */
  readonly s3PutDollarsPer1000: number;
  /** S3 Standard storage, $ per GB-month (first 50 TB). */
  readonly s3StorageDollarsPerGbMonth: number;
  /** API Gateway HTTP API, $ per million requests (first 300 million/month). */
  readonly httpApiDollarsPerMillion: number;
  /** EC2 on-demand Linux instances that can hold an in-memory index, smallest first. */
  readonly instances: readonly InstancePrice[];
}

export interface InstancePrice {
  readonly type: string;
  readonly vcpus: number;
  readonly memoryGib: number;
  readonly dollarsPerHour: number;
}

/** Hours in a billing month as AWS counts them (730). */
export const HOURS_PER_MONTH = 730;

/**
 * AWS us-east-1 list prices (see docs/cost-model.md for the pages they come from).
 * r7g / r6g: memory-optimised Graviton 3 / Graviton 2, 8 GiB per vCPU.
 */
export const AWS_US_EAST_1_PRICES: PriceTable = {
  asOf: 'AWS public pricing pages, us-east-1 list prices as published 2024-2025',
  lambdaArmDollarsPerGbSecond: 0.0000133334,
  lambdaDollarsPerRequest: 0.2 / 1_000_000,
  s3GetDollarsPer1000: 0.0004,
  s3PutDollarsPer1000: 0.005,
  s3StorageDollarsPerGbMonth: 0.023,
  httpApiDollarsPerMillion: 1.0,
  instances: [
    { type: 'r6g.medium', vcpus: 1, memoryGib: 8, dollarsPerHour: 0.0504 },
    { type: 'r7g.medium', vcpus: 1, memoryGib: 8, dollarsPerHour: 0.0536 },
    { type: 'r6g.large', vcpus: 2, memoryGib: 16, dollarsPerHour: 0.1008 },
    { type: 'r7g.large', vcpus: 2, memoryGib: 16, dollarsPerHour: 0.1071 },
    { type: 'r6g.xlarge', vcpus: 4, memoryGib: 32, dollarsPerHour: 0.2016 },
    { type: 'r7g.xlarge', vcpus: 4, memoryGib: 32, dollarsPerHour: 0.2142 },
    { type: 'r6g.2xlarge', vcpus: 8, memoryGib: 64, dollarsPerHour: 0.4032 },
    { type: 'r7g.2xlarge', vcpus: 8, memoryGib: 64, dollarsPerHour: 0.4284 },
    { type: 'r6g.4xlarge', vcpus: 16, memoryGib: 128, dollarsPerHour: 0.8064 },
    { type: 'r7g.4xlarge', vcpus: 16, memoryGib: 128, dollarsPerHour: 0.8568 },
    { type: 'r6g.8xlarge', vcpus: 32, memoryGib: 256, dollarsPerHour: 1.6128 },
    { type: 'r7g.8xlarge', vcpus: 32, memoryGib: 256, dollarsPerHour: 1.7136 },
    { type: 'r6g.12xlarge', vcpus: 48, memoryGib: 384, dollarsPerHour: 2.4192 },
    { type: 'r7g.12xlarge', vcpus: 48, memoryGib: 384, dollarsPerHour: 2.5704 },
    { type: 'r6g.16xlarge', vcpus: 64, memoryGib: 512, dollarsPerHour: 3.2256 },
    { type: 'r7g.16xlarge', vcpus: 64, memoryGib: 512, dollarsPerHour: 3.4272 },
  ],
};

/**
 * The SQUASH paper's reported cost on SIFT1M (Oakley & Ferhatosmanoglu 2025): about 0.95e-5 $
 * per query, i.e. about $9.5 per million queries. Shown next to our figures for orientation only;
 * workloads, batch sizes and memory settings differ.
 */
export const SQUASH_PAPER_DOLLARS_PER_QUERY_SIFT1M = 0.95e-5;
