import { definitionOf, type IndexManifest, registerIndex } from '@squash/index-format';
import type { CommandIo } from './command-io.ts';
import { openStore } from './command-io.ts';

/**
 * Registers a freshly built index in the catalog of the store root it was built into, so that
 * `squash serve --store <root>` (and the deployed functions over that root) serve it and accept
 * writes to it: `--out <root>/<name>` registers `<root>/_indexes/<name>.json`. Only when the last
 * segment of `--out` is the index name (the catalog's layout: data under `<root>/<name>/`), and not
 * for `memory://` stores. Returns the root, or undefined when nothing was registered.
 *
 * @throws IndexExistsError when the root's catalog holds that name with another definition.
 */
export async function registerInRoot(
  io: CommandIo,
  out: string,
  manifest: IndexManifest,
): Promise<string | undefined> {
  if (/^memory:\/\//i.test(out)) return undefined;
  const trimmed = out.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  if (cut <= 0 || trimmed.slice(cut + 1) !== manifest.name) return undefined;
  const root = trimmed.slice(0, cut);
  if (/^s3:\/\/[^/]*$/i.test(root) && !/^s3:\/\/[^/]+$/i.test(root)) return undefined;
  await registerIndex(openStore(io, root, '--out'), definitionOf(manifest.name, manifest));
  return root;
}
