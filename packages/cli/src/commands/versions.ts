import { listVersions, loadManifest } from '@squash/index-format';
import { booleanFlag, requiredPositional } from '../args.ts';
import { type CommandIo, openStore } from '../command-io.ts';
import { formatBytes, table } from '../format.ts';
import { describeLogState, readLogState } from '../log-state.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';

const HELP = `Usage: squash versions <uri> [--json]

Lists the versions stored under an index root, newest first: version id, creation time, size and
object count. "*" marks the current version (the one searches read); "incomplete" marks a
publish that stopped before writing its manifest (or is still running). Once the index has had
writes, a last line shows the write log: its last sequence, the sequence the current version
folds up to, and the unindexed tail (entries, upserted and deleted ids) that queries search
exactly.

Arguments:
  <uri>        the index: a directory, s3://bucket/prefix or memory://name

Options:
  --json       one JSON object per version instead of a table
  -h, --help   show this help
`;

const SPEC: CommandSpec = {
  name: 'versions',
  help: HELP,
  flags: { json: { type: 'boolean' } },
  positionals: ['uri'],
};

/** `squash versions`: the stored versions of an index, newest first. */
export function versions(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const uri = requiredPositional(flags, 0, 'the index location <uri> (a directory, s3://bucket/prefix)');
    const store = openStore(io, uri, '<uri>');
    const found = await listVersions(store);
    if (booleanFlag(flags, 'json')) {
      for (const v of found) io.stdout.write(`${JSON.stringify(v)}\n`);
      return EXIT_OK;
    }
    if (found.length === 0) {
      io.stdout.write(`no versions at ${uri}\n`);
      io.stdout.write(describeLogState(await readLogState(store, 0)));
      return EXIT_OK;
    }
    const rows = found.map((v) => [
      v.isCurrent ? '*' : ' ',
      v.version,
      v.createdAt,
      formatBytes(v.bytes),
      String(v.objects),
      v.complete ? '' : 'incomplete',
    ]);
    io.stdout.write(table([[' ', 'version', 'created', 'size', 'objects', ''], ...rows]));
    const current = found.find((v) => v.isCurrent && v.complete);
    const base = current === undefined ? 0 : (await loadManifest(store, current.version)).logSequence;
    io.stdout.write(describeLogState(await readLogState(store, base)));
    return EXIT_OK;
  });
}
