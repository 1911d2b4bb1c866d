import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENV, HANDLER_ENTRIES } from '@squash/contracts';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildBuildOptions, HANDLER_BUNDLE } from '../lib/handler-bundle.ts';
import { REPO_ROOT } from '../lib/project-paths.ts';

/**
 * Bundles handlers exactly as `SquashFunction` does (`esbuildBuildOptions` = `HANDLER_BUNDLE`) and
 * imports each bundle in a fresh `node` process, from a directory outside the repository so that
 * nothing can resolve from `node_modules`: a bundle that loads here is self-contained.
 */

const outRoot = mkdtempSync(join(tmpdir(), 'squash-bundle-test-'));
// Fake entries live inside the repository so esbuild resolves workspace packages like real ones.
const fakeRoot = join(REPO_ROOT, 'node_modules', '.cache', `squash-bundle-fakes-${process.pid}`);
afterAll(() => {
  rmSync(outRoot, { recursive: true, force: true });
  rmSync(fakeRoot, { recursive: true, force: true });
});

/** What a Lambda environment would hold; a handler may read configuration when its module loads. */
const LAMBDA_LIKE_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_LAMBDA_FUNCTION_NAME: 'squash-bundle-test',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  [ENV.indexes]: JSON.stringify({ test: 's3://squash-bundle-test/indexes/test' }),
  [ENV.fanoutFunction]: 'squash-fanout',
  [ENV.processorFunctions]: JSON.stringify(['squash-processor-0']),
  [ENV.partitionsPerProcessor]: '1',
  [ENV.branching]: '8',
  [ENV.requestTimeoutMs]: '25000',
  [ENV.deadlineMarginMs]: '500',
  [ENV.invokeTimeoutMs]: '12250',
  [ENV.storeRoots]: JSON.stringify(['s3://squash-bundle-test/indexes']),
  [ENV.logLevel]: 'error',
};

const LOADER = `
const mod = await import(process.argv[1]);
const kind = typeof mod[process.argv[2]];
if (kind !== 'function') { console.error('export "' + process.argv[2] + '" is ' + kind + ', not a function'); process.exit(3); }
console.log('export ok');
`;

interface LoadResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly bundleBytes: number;
}

async function bundleAndLoad(entryPath: string, name: string): Promise<LoadResult> {
  const outDir = join(outRoot, name);
  const outfile = join(outDir, HANDLER_BUNDLE.outputFile);
  await build(esbuildBuildOptions(entryPath, outfile));
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', LOADER, pathToFileURL(outfile).href, HANDLER_BUNDLE.handlerExport],
    {
      cwd: outDir,
      env: { PATH: process.env.PATH ?? '', HOME: outDir, ...LAMBDA_LIKE_ENV },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return {
    status: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
    bundleBytes: statSync(outfile).size,
  };
}

function writeFake(name: string, source: string): string {
  mkdirSync(fakeRoot, { recursive: true });
  const path = join(fakeRoot, `${name}.ts`);
  writeFileSync(path, source);
  return path;
}

describe('handler bundles', () => {
  it('bundles a handler using the AWS SDK and workspace packages into a self-contained ES module', async () => {
    const entry = writeFake(
      'uses-dependencies',
      [
        "import { S3Client } from '@aws-sdk/client-s3';",
        "import { ENV } from '@squash/contracts';",
        "import { openBlobStore } from '@squash/storage';",
        'const client = new S3Client({});',
        'export const handler = async () => ({ env: ENV.indexes, store: typeof openBlobStore, client: typeof client.send });',
      ].join('\n'),
    );
    const result = await bundleAndLoad(entry, 'uses-dependencies');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('export ok');
  });

  it('reports a bundle whose module has no handler function', async () => {
    const result = await bundleAndLoad(writeFake('no-handler', 'export const other = 1;\n'), 'no-handler');
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/export "handler" is undefined, not a function/);
  });

  for (const [kind, entry] of Object.entries(HANDLER_ENTRIES)) {
    it(`bundles ${entry} into a module that loads in a fresh node process and exports handler`, async () => {
      const entryPath = join(REPO_ROOT, entry);
      if (!existsSync(entryPath)) {
        throw new Error(
          `${entry} does not exist: the ${kind} Lambda handler (HANDLER_ENTRIES.${kind}) must be written before it can be bundled and deployed`,
        );
      }
      const result = await bundleAndLoad(entryPath, kind);
      // stderr is not required to be empty: on Node 20 the AWS SDK warns that it will need Node 22
      // (which Lambda runs); it is shown when loading fails.
      expect(result.status, `loading the ${kind} bundle failed:\n${result.stderr}`).toBe(0);
      expect(result.stdout.trim()).toBe('export ok');
      // Lambda's limit for a zipped package is 50 MB; a bundle near it means something leaked in.
      expect(result.bundleBytes).toBeLessThan(20 * 1024 * 1024);
    });
  }
});
