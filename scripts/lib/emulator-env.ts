/**
 * Credentials, region and endpoints every child process and SDK client of an emulator run uses.
 * The emulators accept any key; `test`/`test` is the convention both moto and LocalStack document.
 * Both endpoint variables are set: the SDK and the CDK CLI read `AWS_ENDPOINT_URL`, and
 * `AWS_ENDPOINT_URL_S3` wins for S3 (asset publishing, the upload command, the functions).
 */
export function emulatorEnv(endpoint: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const region = base.AWS_REGION ?? 'us-east-1';
  return {
    ...base,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

/** `s3://<bucket>/<prefix>` (a coordinator's `SQUASH_INDEX_ROOT`) taken apart. */
export function parseRootUri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (match === null) throw new Error(`index root "${uri}" is not s3://<bucket>/<prefix>`);
  return { bucket: match[1]!, prefix: match[2]!.replace(/\/+$/, '') };
}
