import {
  IndexCorruptError,
  type IndexManifest,
  loadManifest,
  manifestObjects,
  partitionObjects,
  verifyIndex,
} from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import { booleanFlag, requiredPositional } from '../args.ts';
import { type CommandIo, openStore } from '../command-io.ts';
import { describeSchema, formatBytes, table } from '../format.ts';
import { describeLogState, readLogState } from '../log-state.ts';
import { createProgress } from '../progress.ts';
import { type CommandSpec, EXIT_FAILURE, EXIT_OK, runCommand } from '../run-command.ts';

const HELP = `Usage: squash inspect <uri> [--verify] [--json]

Shows the manifest of the current version of an index: name, version, metric, dimensions, row
count, partitions with their rows and bytes, attribute schema, build parameters, creation time,
and the write log's state (last sequence, the sequence the version folds up to, the unindexed
tail). With --json the manifest (its logSequence included) is printed as is.

Arguments:
  <uri>        the index: a directory, s3://bucket/prefix or memory://name

Options:
  --verify     also read every object of the version and check its size, CRC-32C and contents;
               each problem is printed as "squash: INDEX_CORRUPT <key>: <reason>" and the exit
               code is 1
  --json       print the manifest as JSON instead of the summary
  -h, --help   show this help
`;

const SPEC: CommandSpec = {
  name: 'inspect',
  help: HELP,
  flags: { verify: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: ['uri'],
};

/** `squash inspect`: the manifest in human terms, optionally a full integrity check. */
export function inspect(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const uri = requiredPositional(flags, 0, 'the index location <uri> (a directory, s3://bucket/prefix)');
    const verify = booleanFlag(flags, 'verify');
    const store = openStore(io, uri, '<uri>');
    const manifest = await loadManifestFor(store, verify);
    if (manifest !== undefined) {
      io.stdout.write(
        booleanFlag(flags, 'json') ? `${JSON.stringify(manifest, null, 2)}\n` : describe(manifest),
      );
      if (!booleanFlag(flags, 'json'))
        io.stdout.write(describeLogState(await readLogState(store, manifest.logSequence)));
    }
    return verify ? runVerify(store, io, manifest?.version) : EXIT_OK;
  });
}

/** The manifest; with `--verify` a corrupt manifest is left for the verifier to report. */
async function loadManifestFor(store: BlobStore, verify: boolean): Promise<IndexManifest | undefined> {
  try {
    return await loadManifest(store);
  } catch (error) {
    if (verify && error instanceof IndexCorruptError) return undefined;
    throw error;
  }
}

/** Verifies `version` (the one summarised above), or the current one when the manifest was unreadable. */
async function runVerify(store: BlobStore, io: CommandIo, version: string | undefined): Promise<number> {
  const progress = createProgress(io.stderr);
  progress.start('verifying every object');
  const report = await verifyIndex(store, version);
  progress.finish(`${report.objects} objects, ${formatBytes(report.bytes)}`);
  for (const problem of report.problems) {
    io.stderr.write(`squash: INDEX_CORRUPT ${problem.key}: ${problem.message}\n`);
  }
  if (!report.ok) {
    io.stdout.write(
      `verify: FAILED, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}\n`,
    );
    return EXIT_FAILURE;
  }
  io.stdout.write(`verify: ok, ${report.objects} objects, ${report.bytes} bytes checked\n`);
  return EXIT_OK;
}

function describe(m: IndexManifest): string {
  const p = m.buildParameters;
  const lines = [
    `name        ${m.name}`,
    `version     ${m.version}`,
    `created     ${m.createdAt}`,
    `metric      ${m.metric}`,
    `dims        ${m.dim} -> ${m.reducedDim} (LeanVec)`,
    `rows        ${m.count}`,
    `ids         ${m.idsKind === 'strings' ? 'strings (from the input ids)' : 'row numbers'}`,
    `schema      ${m.attributes === null ? '(no attributes)' : describeSchema(m.attributes.schema)}`,
    `build       partitions ${p.partitions}, leanvec-dim ${p.leanvecDim}, bits-per-dim ${p.bitsPerDim}, seed ${p.seed}`,
    `size        ${formatBytes(m.totalBytes)} (${m.totalBytes} bytes in ${manifestObjects(m).length} objects + manifest)`,
    'partitions',
  ];
  const rows = m.partitions.map((entry) => {
    const bytes = partitionObjects(entry).reduce((sum, ref) => sum + ref.bytes, 0);
    const q = entry.quantizer;
    return [
      `  ${entry.id}`,
      String(entry.rows),
      String(bytes),
      formatBytes(bytes),
      `${q.bytesPerVector} + ${q.binaryWordsPerVector * 4}`,
    ];
  });
  const body = table([['  id', 'rows', 'bytes', 'size', 'code bytes/row (OSQ + sign bits)'], ...rows]);
  return `${lines.join('\n')}\n${body}`;
}
