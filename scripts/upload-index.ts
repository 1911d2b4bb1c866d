/**
 * `npm run upload -- --index <dir> --bucket <name> [--prefix indexes] [--name <index>]`
 *
 * Copies a locally built index to `s3://<bucket>/<prefix>/<name>/`, data files first, manifests
 * next, `CURRENT` last (see `copyIndex`), so the deployed functions never see a half-uploaded
 * version. S3 settings come from the standard AWS chain (`AWS_PROFILE`, `AWS_REGION`, and
 * `AWS_ENDPOINT_URL_S3` for LocalStack). The caller needs the stack's uploader policy.
 */
import { resolve } from 'node:path';
import { createS3Client, FilesystemBlobStore, S3BlobStore } from '@squash/storage';
import { readLocalIndexManifest } from '../infra/lib/index-manifest.ts';
import { copyIndex } from './lib/copy-index.ts';
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
  const started = performance.now();
  const result = await copyIndex({
    source: new FilesystemBlobStore({ rootDir: indexDir }),
    target: new S3BlobStore({
      bucket: args.bucket,
      prefix: `${args.prefix}/${name}`,
      client: createS3Client(),
    }),
    concurrency: args.concurrency,
    onCopied: ({ key, sizeBytes, position, total }) =>
      console.log(`  [${position}/${total}] ${key} (${formatBytes(sizeBytes)})`),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `uploaded ${result.keys.length} objects, ${formatBytes(result.bytes)} in ${seconds.toFixed(1)} s; ` +
      `serve it by deploying with -c indexName=${name}`,
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
