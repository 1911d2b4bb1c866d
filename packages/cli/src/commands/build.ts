import { randomUUID } from 'node:crypto';
import { INDEX_NAME_REGEX } from '@squash/contracts';
import {
  type AttributeColumns,
  type AttributeSchema,
  buildIndex,
  defaultBuildParameters,
  METRICS,
  type Metric,
  type VectorIndex,
  validateAttributeSchema,
} from '@squash/core';
import { quote } from '@squash/errors';
import { type IndexManifest, publishIndex } from '@squash/index-format';
import { InvalidInputFileError } from '@squash/io';
import type { BlobStore } from '@squash/storage';
import {
  booleanFlag,
  choiceFlag,
  integerFlag,
  type ParsedFlags,
  requiredStringFlag,
  stringFlag,
  stringListFlag,
  UsageError,
} from '../args.ts';
import { type AttributeSource, loadAttributes, parseAttributeSpec } from '../attribute-spec.ts';
import { type CommandIo, openStore, resolvePath } from '../command-io.ts';
import { describeSchema, formatBytes, formatSeconds } from '../format.ts';
import { throwIfInterrupted } from '../interrupt.ts';
import { interruptibleStore } from '../interruptible-store.ts';
import { type LoadedVectors, loadVectors } from '../load-vectors.ts';
import { createProgress, type Progress } from '../progress.ts';
import { registerInRoot } from '../register-in-root.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';
import { readJsonFile } from '../text-file.ts';

const HELP = `Usage: squash build --input <file> --out <dir | s3://bucket/prefix> --name <index> [options]

Builds an index from a vector file and publishes it as a new version; the version becomes
current only when every object is written, so a failed or interrupted build changes nothing.

Required:
  --input <file>         vectors: .fvecs, .bvecs, .ivecs, .npy, IDX (train-images-idx3-ubyte),
                         each optionally .gz; or JSONL, one {"id", "vector", "attributes"} per line.
                         For array files the id of row i is "i".
  --out <uri>            where to publish: a directory, s3://bucket/prefix or memory://name
  --name <index>         the index name recorded in the manifest

Options:
  --metric <m>           l2, cosine or ip (inner product)                     [default: l2]
  --attributes <spec>    filterable attributes, one value set per row; repeatable:
                           file.jsonl   one JSON object per line
                           file.csv     header line of names; numbers and true/false inferred
                           name=<file>  one integer per row from an IDX label file
  --schema <file.json>   declared attribute types, {"name": {"type": "integer"}, ...};
                         types are number, integer, category, boolean. Undeclared: inferred.
  --queries <file>       a sample of queries: fits LeanVec-OOD (cosine and ip only)
  --partitions <N>       balanced k-means partitions, 1..n   [default: the engine's choice for n]
  --leanvec-dim <d>      LeanVec reduced dimension, 1..D     [default: the engine's choice for D]
                         (the summary prints the values used)
  --bits-per-dim <b>     OSQ bits per reduced dimension, 1..8                  [default: 4]
  --seed <s>             seed of every random choice (same seed, same index)   [default: 0]
  --json                 print the summary as one JSON object (name, version, rows, dims,
                         partitions, bytes, seconds per stage)
  -h, --help             show this help

Exit codes: 0 built and published, 1 failure (bad file, storage), 2 usage error, 130 interrupted.

Example:
  squash build --input train-images-idx3-ubyte.gz --attributes label=train-labels-idx1-ubyte.gz \\
    --out ./indexes/mnist --name mnist --partitions 6
`;

const SPEC: CommandSpec = {
  name: 'build',
  help: HELP,
  flags: {
    input: { type: 'string' },
    out: { type: 'string' },
    name: { type: 'string' },
    metric: { type: 'string' },
    attributes: { type: 'string', multiple: true },
    schema: { type: 'string' },
    queries: { type: 'string' },
    partitions: { type: 'string' },
    'leanvec-dim': { type: 'string' },
    'bits-per-dim': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  interruptNote: 'nothing was published (CURRENT is unchanged)',
};

/** `squash build`: load, fit + build, publish, then print a summary. */
export function build(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, (flags) => runBuild(readPlan(flags), io));
}

/** The build as the flags describe it, validated before any file is opened. */
interface BuildPlan {
  readonly input: string;
  readonly out: string;
  readonly name: string;
  readonly metric: Metric;
  readonly attributeSources: readonly AttributeSource[];
  readonly schemaFile: string | undefined;
  readonly queriesFile: string | undefined;
  readonly partitions: number | undefined;
  readonly leanvecDim: number | undefined;
  readonly bitsPerDim: number | undefined;
  readonly seed: number | undefined;
  readonly json: boolean;
}

const MAX_PARTITIONS = 100_000;

function readPlan(flags: ParsedFlags): BuildPlan {
  const input = requiredStringFlag(flags, 'input', 'the vector file to index');
  const out = requiredStringFlag(flags, 'out', 'a directory, s3://bucket/prefix or memory://name');
  const name = requiredStringFlag(flags, 'name', 'the index name');
  if (!INDEX_NAME_REGEX.test(name)) {
    throw new UsageError(
      `--name is ${quote(name)}; allowed: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit (the names the HTTP API serves)`,
    );
  }
  const metric = choiceFlag(flags, 'metric', METRICS) ?? 'l2';
  const queriesFile = stringFlag(flags, 'queries');
  if (queriesFile !== undefined && metric === 'l2') {
    throw new UsageError(
      '--queries fits LeanVec-OOD, which applies to --metric cosine or ip; --metric is l2 (drop --queries or change --metric)',
    );
  }
  return {
    input,
    out,
    name,
    metric,
    attributeSources: stringListFlag(flags, 'attributes').map(parseAttributeSpec),
    schemaFile: stringFlag(flags, 'schema'),
    queriesFile,
    partitions: integerFlag(flags, 'partitions', { min: 1, max: MAX_PARTITIONS }),
    leanvecDim: integerFlag(flags, 'leanvec-dim', { min: 1, max: 65_536 }),
    bitsPerDim: integerFlag(flags, 'bits-per-dim', { min: 1, max: 8 }),
    seed: integerFlag(flags, 'seed', { min: 0, max: 0xffff_ffff }),
    json: booleanFlag(flags, 'json'),
  };
}

/** Seconds spent in each stage, for the summary. */
interface StageSeconds {
  load: number;
  build: number;
  publish: number;
}

async function runBuild(plan: BuildPlan, io: CommandIo): Promise<number> {
  const store = openStore(io, plan.out, '--out');
  await assertWritable(store, plan.out);
  const progress = createProgress(io.stderr);
  const seconds: StageSeconds = { load: 0, build: 0, publish: 0 };
  const inputs = await loadInputs(plan, io, progress);
  seconds.load = inputs.seconds;
  const { vectors } = inputs;
  const partitions = plan.partitions ?? defaultBuildParameters(vectors.n, vectors.dim).partitions;
  await throwIfInterrupted(io.interrupts);
  progress.start(`fitting LeanVec and building ${partitions} partition${partitions === 1 ? '' : 's'}`);
  const compute = (): VectorIndex =>
    buildIndex(vectors.data, vectors.n, vectors.dim, {
      metric: plan.metric,
      partitions,
      ...definedOnly({ leanvecDim: plan.leanvecDim, bitsPerDim: plan.bitsPerDim, seed: plan.seed }),
      ...(inputs.queries === undefined
        ? {}
        : { queries: { data: inputs.queries.data, n: inputs.queries.n } }),
      ...(inputs.attributes === undefined ? {} : { attributes: inputs.attributes }),
    });
  const index = io.interrupts === undefined ? compute() : io.interrupts.blocking(compute);
  seconds.build = progress.finish();
  await throwIfInterrupted(io.interrupts);
  progress.start(`publishing to ${plan.out}`);
  const target = io.interrupts === undefined ? store : interruptibleStore(store, io.interrupts.signal);
  const published = await publishIndex(
    target,
    index,
    { name: plan.name, ...(vectors.ids === undefined ? {} : { ids: vectors.ids }) },
    // After Ctrl-C `target` refuses every call; the cleanup of the partial version uses the store.
    { cleanupStore: store },
  );
  seconds.publish = progress.finish(`version ${published.version}`);
  const root = await registerInRoot(io, plan.out, published.manifest);
  if (root !== undefined && !plan.json) {
    io.stderr.write(`registered "${plan.name}" in the catalog of ${root} (squash serve --store ${root})\n`);
  }
  io.stdout.write(
    plan.json
      ? `${JSON.stringify(summaryJson(plan, published.manifest, seconds))}\n`
      : summary(plan, published.manifest, index, seconds),
  );
  return EXIT_OK;
}

interface BuildInputs {
  readonly vectors: LoadedVectors;
  readonly queries: LoadedVectors | undefined;
  readonly attributes: AttributeColumns | undefined;
  readonly seconds: number;
}

/** Stage 1: vectors, query sample, schema and attributes, each checked against the vectors. */
async function loadInputs(plan: BuildPlan, io: CommandIo, progress: Progress): Promise<BuildInputs> {
  const signal = io.interrupts?.signal;
  progress.start(`loading ${plan.input}`);
  const vectors = await loadVectors(resolvePath(io, plan.input), {
    shown: plan.input,
    onRows: (rows) => progress.update(`${rows} rows`),
    ...(signal === undefined ? {} : { signal }),
  });
  checkPlanFitsData(plan, vectors);
  const queries = plan.queriesFile === undefined ? undefined : await loadQueries(plan, vectors, io);
  const schema = plan.schemaFile === undefined ? undefined : await loadSchema(plan.schemaFile, io);
  const attributes = await loadAttributes({
    rowCount: vectors.n,
    vectorsFile: plan.input,
    ...(vectors.attributes === undefined ? {} : { inputRows: vectors.attributes }),
    sources: plan.attributeSources,
    ...(schema === undefined ? {} : { schema }),
    ...(plan.schemaFile === undefined ? {} : { schemaFile: plan.schemaFile }),
    resolvePath: (path) => resolvePath(io, path),
  });
  const names = attributes === undefined ? [] : [...attributes.columns.keys()];
  const detail = `${vectors.n} rows x ${vectors.dim} dims${names.length === 0 ? '' : `, attributes ${names.join(', ')}`}`;
  return { vectors, queries, attributes, seconds: progress.finish(detail) };
}

/** Flag values that can only be checked once the data's shape is known. Usage errors. */
function checkPlanFitsData(plan: BuildPlan, vectors: LoadedVectors): void {
  if (plan.partitions !== undefined && plan.partitions > vectors.n) {
    throw new UsageError(
      `--partitions is ${plan.partitions}; allowed: 1 to the row count of ${plan.input} (${vectors.n})`,
    );
  }
  if (plan.leanvecDim !== undefined && plan.leanvecDim > vectors.dim) {
    throw new UsageError(
      `--leanvec-dim is ${plan.leanvecDim}; allowed: 1 to the dimension of ${plan.input} (${vectors.dim})`,
    );
  }
}

async function loadQueries(plan: BuildPlan, vectors: LoadedVectors, io: CommandIo): Promise<LoadedVectors> {
  const file = plan.queriesFile!;
  const queries = await loadVectors(resolvePath(io, file), { shown: file });
  if (queries.dim !== vectors.dim) {
    throw new InvalidInputFileError(
      file,
      undefined,
      `queries have ${queries.dim} dimensions; the vectors in ${plan.input} have ${vectors.dim}`,
    );
  }
  return queries;
}

async function loadSchema(file: string, io: CommandIo): Promise<AttributeSchema> {
  const json = await readJsonFile(resolvePath(io, file), file);
  try {
    return validateAttributeSchema(json);
  } catch (error) {
    throw new InvalidInputFileError(file, undefined, (error as Error).message, { cause: error });
  }
}

/** The closing summary: what was built, where, how big, and where the time went. */
function summary(
  plan: BuildPlan,
  manifest: IndexManifest,
  index: VectorIndex,
  seconds: StageSeconds,
): string {
  const first = manifest.partitions[0]?.quantizer;
  const codeBytes = first === undefined ? 0 : first.bytesPerVector + first.binaryWordsPerVector * 4;
  const sizes = manifest.partitions.map((p) => p.rows);
  const params = manifest.buildParameters;
  const lines = [
    `built index "${manifest.name}" version ${manifest.version} at ${plan.out}`,
    `  rows            ${manifest.count}`,
    `  dims            ${manifest.dim} -> ${manifest.reducedDim} (LeanVec${plan.queriesFile === undefined ? '' : '-OOD'}, ${manifest.metric})`,
    `  partitions      ${params.partitions} (rows ${sizes.reduce((a, b) => Math.min(a, b))}..${sizes.reduce((a, b) => Math.max(a, b))})`,
    `  bytes/vector    ${codeBytes} code (${params.bitsPerDim} bits x ${params.leanvecDim} dims + sign bits), ${manifest.dim * 4} full precision`,
    `  size            ${formatBytes(manifest.totalBytes)} (${manifest.totalBytes} bytes, ${(manifest.totalBytes / manifest.count).toFixed(1)} bytes/row)`,
    `  attributes      ${index.parts.attributes === undefined ? '(none)' : describeSchema(index.parts.attributes.schema)}`,
    `  time            load ${formatSeconds(seconds.load)}, fit+build ${formatSeconds(seconds.build)}, publish ${formatSeconds(seconds.publish)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The summary as data (`--json`). */
function summaryJson(
  plan: BuildPlan,
  manifest: IndexManifest,
  seconds: StageSeconds,
): Record<string, unknown> {
  return {
    name: manifest.name,
    version: manifest.version,
    out: plan.out,
    rows: manifest.count,
    dim: manifest.dim,
    reducedDim: manifest.reducedDim,
    metric: manifest.metric,
    partitions: manifest.partitions.length,
    bytes: manifest.totalBytes,
    seconds,
  };
}

/** Drops the undefined entries, so optional options are absent rather than `undefined`. */
function definedOnly<T extends Record<string, number | undefined>>(
  values: T,
): Partial<Record<keyof T, number>> {
  const out: Partial<Record<keyof T, number>> = {};
  for (const key of Object.keys(values) as (keyof T)[]) {
    if (values[key] !== undefined) out[key] = values[key];
  }
  return out;
}

/**
 * Writes and deletes one small object under `--out` before any work, so an output that cannot be
 * written (a read-only directory, a path under a file, a bucket without PutObject) fails in a
 * second rather than after the whole build.
 */
async function assertWritable(store: BlobStore, out: string): Promise<void> {
  const key = `write-check-${randomUUID()}`;
  try {
    await store.put(key, new Uint8Array(0));
    await store.delete(key);
  } catch (error) {
    throw new UsageError(`--out ${out} cannot be written (${(error as Error).message}); nothing was built`);
  }
}
