import { parseArgs } from 'node:util';

/** Parsed command line of `npm run upload`. */
export interface UploadArgs {
  /** Local index directory (holding `CURRENT`). */
  readonly indexDir: string;
  readonly bucket: string;
  /** Key prefix in the bucket; the index lands at `<prefix>/<name>/`. */
  readonly prefix: string;
  /** Index name; defaults to the manifest's `name`, then the directory name. */
  readonly name?: string;
  readonly concurrency: number;
}

export const UPLOAD_USAGE =
  'usage: npm run upload -- --index <dir> --bucket <name> [--prefix indexes] [--name <index>] [--concurrency 4]';

/** A command-line mistake; the script prints the message and the usage and exits with code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** Parses `npm run upload -- ...` arguments strictly (unknown flags are errors). */
export function parseUploadArgs(argv: readonly string[]): UploadArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        index: { type: 'string' },
        bucket: { type: 'string' },
        prefix: { type: 'string', default: 'indexes' },
        name: { type: 'string' },
        concurrency: { type: 'string', default: '4' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const indexDir = values.index;
  const bucket = values.bucket;
  if (typeof indexDir !== 'string' || indexDir === '') throw new UsageError('--index <dir> is required');
  if (typeof bucket !== 'string' || bucket === '') throw new UsageError('--bucket <name> is required');
  const prefix = String(values.prefix).replace(/^\/+|\/+$/g, '');
  if (prefix === '') throw new UsageError('--prefix must not be empty');
  const concurrency = Number(values.concurrency);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError(
      `--concurrency is "${String(values.concurrency)}"; expected an integer from 1 to 64`,
    );
  }
  return {
    indexDir,
    bucket,
    prefix,
    concurrency,
    ...(typeof values.name === 'string' && values.name !== '' ? { name: values.name } : {}),
  };
}
