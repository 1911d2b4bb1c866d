import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { InvalidInputFileError } from '@squash/io';

/**
 * Reads a small text file (attribute files, schemas) whole, as UTF-8, gunzipping it when it starts
 * with the gzip magic. `shown` is the path as the user typed it, used in error messages.
 */
export async function readTextFile(path: string, shown: string = path): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidInputFileError(
      shown,
      undefined,
      `cannot be read (${typeof code === 'string' ? code : String(error)}); expected a readable file`,
      { cause: error },
    );
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new InvalidInputFileError(
        shown,
        undefined,
        `gzip data is corrupt (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Reads and parses a JSON file; a syntax error names the file. */
export async function readJsonFile(path: string, shown: string = path): Promise<unknown> {
  const text = await readTextFile(path, shown);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputFileError(shown, undefined, `invalid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}
