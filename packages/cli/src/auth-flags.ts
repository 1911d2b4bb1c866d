import type { ClientAuth } from '@squash/client';
import { booleanFlag, type FlagSpecs, type ParsedFlags, stringFlag, UsageError } from './args.ts';
import type { CommandIo } from './command-io.ts';

/** The flags of every command that talks to the HTTP API: `--url` and how to authorise. */
export const API_FLAGS: FlagSpecs = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  iam: { type: 'boolean' },
  region: { type: 'string' },
};

/** `--help` lines of the auth flags, aligned like the commands' other options. */
export const AUTH_HELP = `  --api-key <key>     send x-api-key (the stack's apiKey auth, squash serve --api-key);
                      SQUASH_API_KEY works too
  --iam               sign requests with SigV4 (the stack's default IAM auth), credentials from the
                      AWS SDK chain (environment, profile, SSO, role)
  --region <r>        AWS region for --iam                              [default: AWS_REGION]`;

/** The `--url` value, which must be an http(s) URL. */
export function readApiUrl(url: string): string {
  if (!/^https?:\/\//.test(url)) {
    throw new UsageError(`--url is ${JSON.stringify(url)}; allowed: an http(s):// URL`);
  }
  return url;
}

/** The client auth the flags ask for: `--api-key` (or SQUASH_API_KEY), `--iam [--region]`, or none. */
export function readAuth(flags: ParsedFlags, io: CommandIo): ClientAuth {
  const apiKey = stringFlag(flags, 'api-key') ?? io.env?.SQUASH_API_KEY;
  const iam = booleanFlag(flags, 'iam');
  if (iam && apiKey !== undefined) throw new UsageError('give either --api-key or --iam, not both');
  if (iam) {
    const region = stringFlag(flags, 'region') ?? io.env?.AWS_REGION ?? io.env?.AWS_DEFAULT_REGION;
    if (region === undefined) throw new UsageError('--iam needs a region: --region <r> or AWS_REGION');
    return { type: 'iam', region };
  }
  if (flags.values.region !== undefined) throw new UsageError('--region only applies with --iam');
  return apiKey === undefined ? { type: 'none' } : { type: 'apiKey', apiKey };
}
