import { gcVersions } from '@squash/index-format';
import { booleanFlag, integerFlag, requiredPositional, UsageError } from '../args.ts';
import { type CommandIo, openStore } from '../command-io.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';

const HELP = `Usage: squash gc <uri> --keep <N>

Deletes old versions of an index: keeps the N newest complete versions and the current one, and
deletes every other complete version and any incomplete version (a publish that stopped) older
than one hour. Searches already reading a deleted version fail on their next read.

Arguments:
  <uri>         the index: a directory, s3://bucket/prefix or memory://name

Options:
  --keep <N>    complete versions to keep, newest first (N >= 1; the current one is kept in addition)
  --json        print {"deleted", "kept", "objectsDeleted"} as JSON
  -h, --help    show this help
`;

const SPEC: CommandSpec = {
  name: 'gc',
  help: HELP,
  flags: { keep: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['uri'],
};

/** `squash gc`: garbage-collects old and abandoned versions. */
export function gc(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const uri = requiredPositional(flags, 0, 'the index location <uri> (a directory, s3://bucket/prefix)');
    const keep = integerFlag(flags, 'keep', { min: 1, max: 1_000_000 });
    if (keep === undefined)
      throw new UsageError('--keep is required: the number of newest versions to keep (>= 1)');
    const result = await gcVersions(openStore(io, uri, '<uri>'), { keep });
    if (booleanFlag(flags, 'json')) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return EXIT_OK;
    }
    const lines = [
      `deleted ${result.deleted.length} version${result.deleted.length === 1 ? '' : 's'} (${result.objectsDeleted} objects)`,
      ...result.deleted.map((v) => `  - ${v}`),
      `kept ${result.kept.length}`,
      ...result.kept.map((v) => `  + ${v}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}
