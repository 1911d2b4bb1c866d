import { type CompactionReport, CompactorService } from '@squash/compaction';
import { booleanFlag, requiredPositional } from '../args.ts';
import { type CommandIo, openStore } from '../command-io.ts';
import { createProgress } from '../progress.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';

const HELP = `Usage: squash compact <index-uri> [--full] [--json]

Folds the write log of an index (upserts and deletes not yet indexed) into a new version, in this
process: nothing below the build threshold (1,000 live rows; the index stays exact over its log),
a full rebuild for the first build, a tail changing more than half the rows, or attribute values
the index cannot code; otherwise only the partitions that gain or lose rows are rewritten. The
new version becomes current only if no other publish happened meanwhile; folded log entries are
then deleted (all but the newest).

Arguments:
  <index-uri>  the index's data: <root>/<name> (a directory, s3://bucket/prefix/<name> or
               memory://name); its definition is read from <root>/_indexes/<name>.json, or
               from its current version when it has no catalog entry

Options:
  --full       rebuild from scratch (LeanVec, partitions, quantizers) whatever the tail's size
  --json       print the report as one JSON object
  -h, --help   show this help
`;

const SPEC: CommandSpec = {
  name: 'compact',
  help: HELP,
  flags: { full: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: ['index-uri'],
};

/** `squash compact`: one compaction of an index, in-process. */
export function compact(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const uri = requiredPositional(flags, 0, 'the index location <index-uri> (<root>/<name>)').replace(
      /\/+$/,
      '',
    );
    const index = uri.split('/').at(-1)!;
    const service = new CompactorService({
      openStore: (u) => openStore(io, u, '<index-uri>'),
      functionName: 'squash compact',
      maxPayloadBytes: Number.POSITIVE_INFINITY,
    });
    const progress = createProgress(io.stderr);
    progress.start(`compacting ${index}`);
    const report = (await service.handle({
      kind: 'compact',
      indexUri: uri,
      index,
      mode: booleanFlag(flags, 'full') ? 'full' : 'auto',
    })) as CompactionReport;
    progress.finish(`${report.mode} in ${report.ms} ms`);
    io.stdout.write(booleanFlag(flags, 'json') ? `${JSON.stringify(report)}\n` : describe(report));
    return EXIT_OK;
  });
}

function describe(r: CompactionReport): string {
  const lines = [`mode        ${r.mode} (${r.reason})`];
  if (r.version !== undefined) {
    lines.push(
      `version     ${r.version} (from ${r.baseVersion ?? 'nothing'})`,
      `rows        ${r.rowsBefore} -> ${r.rowsAfter} (tail: ${r.tailUpserts} upserted, ${r.tailDeletes} deleted ids, ${r.entriesFolded} entries)`,
      `partitions  ${r.partitionsRewritten} of ${r.partitions} rewritten${r.rowsMoved > 0 ? `, ${r.rowsMoved} rows renumbered` : ''}`,
    );
  }
  lines.push(
    `log         folded up to sequence ${r.logSequence}; ${r.logEntriesDeleted} entries deleted`,
    `time        ${r.ms} ms`,
  );
  return `${lines.join('\n')}\n`;
}
