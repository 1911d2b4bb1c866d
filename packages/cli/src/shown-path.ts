import { InvalidInputFileError } from '@squash/io';

/**
 * Runs `read(opened)` and rewrites an `InvalidInputFileError` about `opened` so that it names the
 * file as the user typed it (`shown`). The two differ only when a relative path was resolved
 * against a cwd other than the process's (commands run in-process by tests or other programs).
 */
export async function readAs<T>(
  opened: string,
  shown: string,
  read: (path: string) => Promise<T>,
): Promise<T> {
  try {
    return await read(opened);
  } catch (error) {
    if (opened === shown || !(error instanceof InvalidInputFileError) || error.file !== opened) throw error;
    const detail = error.message.slice(opened.length).replace(/^( at (byte|line) \d+)?: /, '');
    throw new InvalidInputFileError(shown, error.position, detail, { cause: error.cause });
  }
}
