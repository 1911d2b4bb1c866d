import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { InvalidArgumentError } from '@squash/errors';
import { assertBlobKey, assertBlobPrefix, isBlobKey } from './blob-key.ts';
import type {
  BlobHead,
  BlobListing,
  BlobStore,
  PutOptions,
  PutResult,
  PutStreamOptions,
} from './blob-store.ts';
import { ChunkSourceGuard } from './chunk-source-guard.ts';
import { createS3Client } from './s3-client.ts';
import {
  errorName,
  httpStatus,
  isInvalidRange,
  isNoSuchKey,
  isPreconditionFailed,
} from './s3-error-classification.ts';
import {
  BlobNotFoundError,
  describeCause,
  PreconditionFailedError,
  StorageError,
  type StorageOperation,
} from './storage-error.ts';
import {
  assertByteRange,
  assertBytes,
  assertPutConditions,
  resolvePartSizeBytes,
} from './validate-arguments.ts';

/** Options of `S3BlobStore`. */
export interface S3BlobStoreOptions {
  /** Bucket name; the bucket must exist. */
  readonly bucket: string;
  /**
   * Key prefix inside the bucket, so several stores can share one bucket: key `a/b` is stored as
   * `<prefix>/a/b`. Follows the key rules; a trailing `/` is ignored.
   * @default '' (keys at the bucket root)
   */
  readonly prefix?: string;
  /** S3 client to use; inject one to share connections or to point at a test server. @default `createS3Client()` */
  readonly client?: S3Client;
  /**
   * Parts uploaded in parallel by `putStream`. Memory held is about `queueSize x partSizeBytes`.
   * @default 4
   */
  readonly queueSize?: number;
  /**
   * Keys per ListObjectsV2 request in `list` and `deletePrefix`. Smaller pages start yielding
   * sooner and cost more requests; S3 never returns more than 1000.
   * @default 1000
   */
  readonly listPageSize?: number;
}

/** Keys per DeleteObjects request: the S3 maximum. */
const DELETE_BATCH_SIZE = 1000;

/**
 * `BlobStore` over one S3 bucket (or a prefix of one) with AWS SDK v3. Works against AWS,
 * LocalStack and s3rver; the endpoint comes from the client's configuration.
 *
 * - `get` is one GetObject; `getRange` one GetObject with `Range: bytes=start-end` (never a
 *   suffix range); a 416 answer means "offset at or past the end" and returns no bytes.
 * - `put` is one PutObject; `putStream` is a multipart upload through `@aws-sdk/lib-storage`
 *   (a single PutObject when the stream fits in one part). A multipart upload becomes visible
 *   only on CompleteMultipartUpload, so a failed stream never leaves a partial object; its
 *   uploaded parts are aborted (configure a lifecycle rule for servers where abort fails).
 * - NoSuchKey and 404 mean absence; every other failure becomes `StorageError` with the SDK
 *   error as `cause` (a missing bucket too, except on HEAD, whose 404 has no body to tell).
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  /** Normalised prefix: `''` or ending in `/`. */
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #queueSize: number;
  readonly #listPageSize: number;

  constructor(options: S3BlobStoreOptions) {
    if (typeof options?.bucket !== 'string' || options.bucket === '') {
      throw new InvalidArgumentError('bucket', 'S3BlobStore needs a non-empty bucket name');
    }
    this.bucket = options.bucket;
    this.prefix = normalisePrefix(options.prefix ?? '');
    this.#client = options.client ?? createS3Client();
    this.#queueSize = positiveInteger('queueSize', options.queueSize ?? 4, Number.MAX_SAFE_INTEGER);
    this.#listPageSize = positiveInteger('listPageSize', options.listPageSize ?? 1000, 1000);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertBlobKey(key);
    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.#s3Key(key) }),
      );
      return await readBody(output.Body);
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw this.#wrap('get', key, error);
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    assertBlobKey(key);
    assertByteRange(offset, length);
    if (length === 0) {
      // An empty HTTP range cannot be expressed; still report a missing key.
      if ((await this.head(key)) === undefined) throw this.#notFound(key);
      return new Uint8Array(0);
    }
    try {
      const output = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.#s3Key(key),
          Range: `bytes=${offset}-${offset + length - 1}`,
        }),
      );
      const bytes = await readBody(output.Body);
      // A server that ignores Range answers 200 with the whole object: cut the range out.
      return output.ContentRange === undefined ? bytes.slice(offset, offset + length) : bytes;
    } catch (error) {
      if (isNoSuchKey(error)) throw this.#notFound(key, error);
      if (isInvalidRange(error)) return new Uint8Array(0);
      throw this.#wrap('getRange', key, error);
    }
  }

  async put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    assertBlobKey(key);
    assertBytes(bytes);
    assertPutConditions(options);
    try {
      const output = await this.#client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.#s3Key(key),
          Body: bytes,
          ContentLength: bytes.byteLength,
          ...(options?.contentType === undefined ? {} : { ContentType: options.contentType }),
          ...(options?.ifNoneMatch === undefined ? {} : { IfNoneMatch: options.ifNoneMatch }),
          ...(options?.ifMatch === undefined ? {} : { IfMatch: `"${options.ifMatch}"` }),
        }),
      );
      return { etag: unquote(output.ETag) ?? '' };
    } catch (error) {
      // S3 answers If-Match on a missing key with 404 NoSuchKey: the condition failed too.
      const lost = isPreconditionFailed(error) || (options?.ifMatch !== undefined && isNoSuchKey(error));
      if (lost && options !== undefined) {
        const condition = options.ifNoneMatch === undefined ? 'ifMatch' : 'ifNoneMatch';
        throw new PreconditionFailedError(
          key,
          condition,
          condition === 'ifNoneMatch'
            ? `"${key}" exists (ifNoneMatch "*")`
            : `"${key}" does not have tag "${options.ifMatch}" (ifMatch)`,
          { cause: error },
        );
      }
      throw this.#wrap('put', key, error);
    }
  }

  async putStream(key: string, chunks: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<void> {
    assertBlobKey(key);
    const partSizeBytes = resolvePartSizeBytes(options);
    const source = new ChunkSourceGuard(chunks);
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.bucket,
        Key: this.#s3Key(key),
        Body: Readable.from(source.chunks(), { objectMode: false }),
        ...(options?.contentType === undefined ? {} : { ContentType: options.contentType }),
      },
      partSize: partSizeBytes,
      queueSize: this.#queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // The caller's own error matters more than how the SDK reported the aborted upload.
      if (source.failure !== undefined) throw source.failure.error;
      throw this.#wrap('putStream', key, error);
    }
  }

  async head(key: string): Promise<BlobHead | undefined> {
    assertBlobKey(key);
    try {
      const output = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.#s3Key(key) }),
      );
      return { sizeBytes: output.ContentLength ?? 0, etag: unquote(output.ETag) ?? '' };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw this.#wrap('head', key, error);
    }
  }

  async *list(prefix: string): AsyncIterable<BlobListing> {
    assertBlobPrefix(prefix);
    let continuationToken: string | undefined;
    do {
      const page = await this.#call('list', prefix, (client) =>
        client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            MaxKeys: this.#listPageSize,
            ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length);
        // Objects written by other tools (folder markers `x/`, `a//b`) are not addressable here.
        if (key !== undefined && isBlobKey(key)) yield { key, sizeBytes: object.Size ?? 0 };
      }
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#s3Key(key) }));
    } catch (error) {
      if (isNoSuchKey(error)) return;
      throw this.#wrap('delete', key, error);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertBlobPrefix(prefix);
    let deleted = 0;
    let batch: string[] = [];
    for await (const { key } of this.list(prefix)) {
      batch.push(key);
      if (batch.length === DELETE_BATCH_SIZE) {
        deleted += await this.#deleteBatch(prefix, batch);
        batch = [];
      }
    }
    if (batch.length > 0) deleted += await this.#deleteBatch(prefix, batch);
    return deleted;
  }

  async #deleteBatch(prefix: string, keys: readonly string[]): Promise<number> {
    const output = await this.#call('deletePrefix', prefix, (client) =>
      client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: keys.map((key) => ({ Key: this.#s3Key(key) })), Quiet: true },
        }),
      ),
    );
    const failure = output.Errors?.[0];
    if (failure !== undefined) {
      throw new StorageError(
        'deletePrefix',
        prefix,
        `deleting under "${prefix}" in s3://${this.bucket}/${this.prefix} failed for ${output.Errors?.length} keys, ` +
          `first "${failure.Key}": ${failure.Code} ${failure.Message}`,
      );
    }
    return keys.length;
  }

  #s3Key(key: string): string {
    return this.prefix + key;
  }

  /** Runs one SDK call, turning any failure into a `StorageError` about `key`. */
  async #call<T>(
    operation: StorageOperation,
    key: string,
    request: (client: S3Client) => Promise<T>,
  ): Promise<T> {
    try {
      return await request(this.#client);
    } catch (error) {
      throw this.#wrap(operation, key, error);
    }
  }

  #wrap(operation: StorageOperation, key: string, cause: unknown): StorageError {
    const status = httpStatus(cause);
    const where = `s3://${this.bucket}/${this.prefix}${key}`;
    return new StorageError(
      operation,
      key,
      `${operation} ${where} failed: ${errorName(cause) ?? 'Error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${describeCause(cause)}`,
      { cause },
    );
  }

  #notFound(key: string, cause?: unknown): BlobNotFoundError {
    return new BlobNotFoundError('getRange', key, `no blob at s3://${this.bucket}/${this.prefix}${key}`, {
      cause,
    });
  }
}

async function readBody(
  body: { transformToByteArray(): Promise<Uint8Array> } | undefined,
): Promise<Uint8Array> {
  return body === undefined ? new Uint8Array(0) : await body.transformToByteArray();
}

function positiveInteger(argument: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be an integer from 1 to ${max}; received ${value}`,
    );
  }
  return value;
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return '';
  assertBlobKey(trimmed);
  return `${trimmed}/`;
}

/** An ETag without its quotes. */
function unquote(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}
