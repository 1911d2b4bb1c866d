/**
 * `npm run test:e2e -- --url <ApiUrl> [--auth iam|api-key|none]`
 * `npm run test:e2e -- --outputs cdk-outputs.json [--stack Squash] [--auth ...]`
 *
 * Runs the HTTP API suite against an already deployed stack (`npm run deploy -- --outputs-file
 * cdk-outputs.json` writes the outputs file). `iam` (the default) signs every request with SigV4
 * using the standard AWS credential chain; `api-key` sends `SQUASH_API_KEY` as `x-api-key`.
 * The suite queries the quick-start MNIST index, uploaded under `--index` (default `mnist`).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../infra/lib/project-paths.ts';

const USAGE =
  'usage: npm run test:e2e -- (--url <api url> | --outputs <cdk outputs json> [--stack Squash]) [--auth iam|api-key|none] [--index mnist]';

function main(): void {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      outputs: { type: 'string' },
      stack: { type: 'string', default: 'Squash' },
      auth: { type: 'string', default: 'iam' },
      index: { type: 'string', default: 'mnist' },
    },
    strict: true,
  });
  const auth = String(values.auth);
  if (!['iam', 'api-key', 'none'].includes(auth)) fail(`--auth is "${auth}"; expected iam, api-key or none`);
  const url = values.url ?? apiUrlFromOutputs(values.outputs, String(values.stack));
  const child = spawn(
    join(REPO_ROOT, 'node_modules/.bin/vitest'),
    ['run', '--config', 'infra/vitest.e2e.config.ts'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        SQUASH_E2E_BASE_URL: url,
        SQUASH_E2E_AUTH: auth,
        SQUASH_E2E_INDEX: String(values.index),
      },
    },
  );
  child.on('exit', (code) => process.exit(code ?? 1));
}

function apiUrlFromOutputs(file: string | undefined, stack: string): string {
  if (file === undefined) fail('give --url or --outputs');
  const outputs = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  const url = outputs[stack]?.ApiUrl;
  if (url === undefined) fail(`${file} has no ApiUrl output for stack ${stack}`);
  return url;
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

main();
