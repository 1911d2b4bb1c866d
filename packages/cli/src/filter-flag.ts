import { UsageError } from './args.ts';

/** The JSON of a `--filter` flag, or undefined when the flag is absent. */
export function parseFilterFlag(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new UsageError(
      `--filter is not valid JSON (${(error as Error).message}); allowed: a JSON object such as '{"label": 3}'`,
    );
  }
}
