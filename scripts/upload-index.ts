/**
 * `npm run upload -- --index <dir> --bucket <name> [--prefix indexes] [--name <index>]`
 *
 * Copies a locally built index to `s3://<bucket>/<prefix>/<name>/`, data files first, manifests
 * next, `CURRENT` last (see `copyIndex`), so the deployed functions never see a half-uploaded
 * version; then registers it in the catalog of the index root `s3://<bucket>/<prefix>`
 * (`_indexes/<name>.json`, `registerIndex`), which is how the deployed coordinator finds it: it is
 * served, and accepts writes, from the next request on, without a redeploy. Uploading a new
 * version of a registered index keeps its registration; one registered with another dimension,
 * metric or attribute schema is refused (`INDEX_EXISTS`) before anything is copied. S3 settings
 * come from the standard AWS chain (`AWS_PROFILE`, `AWS_REGION`, and `AWS_ENDPOINT_URL_S3` for
 * LocalStack). The caller needs the stack's uploader policy.
 */
import { resolve } from 'node:path';
import { loadManifest, registerIndex } from '@squash/index-format';
import { createS3Client, FilesystemBlobStore, S3BlobStore } from '@squash/storage';
import { readLocalIndexManifest } from '../infra/lib/index-manifest.ts';
import { copyIndex } from './lib/copy-index.ts';
import { definitionOf, refuseConflict } from './lib/index-registration.ts';
import { parseUploadArgs, UPLOAD_USAGE, UsageError } from './lib/upload-args.ts';

async function main(): Promise<void> {
  const args = parseUploadArgs(process.argv.slice(2));
  const indexDir = resolve(args.indexDir);
  const manifest = await readLocalIndexManifest(indexDir);
  const name = args.name ?? manifest.name;
  const destination = `s3://${args.bucket}/${args.prefix}/${name}`;
  console.log(
    `uploading ${indexDir} (version ${manifest.version}, ${manifest.partitions} partitions) to ${destination}`,
  );
  const source = new FilesystemBlobStore({ rootDir: indexDir });
  const client = createS3Client();
  const root = new S3BlobStore({ bucket: args.bucket, prefix: args.prefix, client });
  const definition = definitionOf(name, await loadManifest(source, manifest.version));
  await refuseConflict(root, definition);
  const started = performance.now();
  const result = await copyIndex({
    source,
    target: new S3BlobStore({ bucket: args.bucket, prefix: `${args.prefix}/${name}`, client }),
    concurrency: args.concurrency,
    onCopied: ({ key, sizeBytes, position, total }) =>
      console.log(`  [${position}/${total}] ${key} (${formatBytes(sizeBytes)})`),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `uploaded ${result.keys.length} objects, ${formatBytes(result.bytes)} in ${seconds.toFixed(1)} s`,
  );
  // After the data: the catalog entry is what makes the coordinator serve the index.
  await registerIndex(root, definition);
  console.log(
    `registered "${name}" in s3://${args.bucket}/${args.prefix}/_indexes/: the deployed coordinator serves it now`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${UPLOAD_USAGE}`);
    process.exit(2);
  }
  console.error(`upload failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
