/**
 * `npm run test:packages [-- --keep]`: proves the publishable packages work outside this
 * repository. Packs them (`npm run pack:packages`), installs the tarballs into an empty temporary
 * project (plus aws-cdk-lib and constructs, the construct's peers), then, from that project only:
 *
 * (a) `squash --help` starts in under 0.5 s (median of 5) and `squash --version` is right;
 * (b) the installed `squash build` + `squash serve` answer a query sent by the installed client;
 * (c) a CDK app adds `SquashVectorSearch` to its own stack and synthesises offline, every function
 *     running one of the package's prebuilt handler bundles;
 * (d) a strict TypeScript consumer type-checks against the shipped declarations.
 *
 * Everything it starts is stopped and the project removed in `finally` (`--keep` keeps the
 * project and prints its path). About a minute on 2 cores with a warm npm cache.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  QUERY_SCRIPT,
  SYNTH_SCRIPT,
  sampleVectorsJsonl,
  TYPES_CHECK,
  typesCheckTsconfig,
} from './pack/consumer-files.ts';
import { packPackages } from './pack/pack-packages.ts';
import {
  type CheckContext,
  checkCdkSynth,
  checkCliStartup,
  checkServeAndClient,
  checkTypes,
} from './pack/package-checks.ts';
import { runChild } from './pack/run-child.ts';
import { declaredVersion, REPO_ROOT, readWorkspaces } from './pack/workspaces.ts';

/** `squash --help` must start within this (issue 15). */
const MAX_HELP_MS = 500;

const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false } } });
const log = (line: string): void => console.log(`test:packages: ${line}`);
const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const project = await mkdtemp(join(tmpdir(), 'squash-packages-'));
try {
  const packed = await packPackages(join(project, 'tarballs'));
  log(`packed ${packed.map((p) => `${p.name}@${p.version}`).join(', ')} (${elapsed()})`);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'squash-consumer', private: true, type: 'module' }),
  );
  const workspaces = readWorkspaces();
  const peers = ['aws-cdk-lib', 'constructs'].map((name) => `${name}@${declaredVersion(name, workspaces)}`);
  await runChild(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packed.map((p) => p.tarball), ...peers],
    {
      cwd: project,
      timeoutMs: 300_000,
    },
  );
  log(`installed into ${project} (${elapsed()})`);
  await writeFile(join(project, 'vectors.jsonl'), sampleVectorsJsonl(400, 16));
  await writeFile(join(project, 'query.mjs'), QUERY_SCRIPT);
  await writeFile(join(project, 'synth.mjs'), SYNTH_SCRIPT);
  const ctx: CheckContext = { project, log };
  const cli = packed.find((p) => p.name === '@squash/cli');
  if (cli === undefined) throw new Error('no @squash/cli package was packed');
  await checkCliStartup(ctx, cli.version, MAX_HELP_MS);
  await checkServeAndClient(ctx, 7);
  await checkCdkSynth(ctx, REPO_ROOT);
  await checkTypes(
    ctx,
    REPO_ROOT,
    typesCheckTsconfig(join(REPO_ROOT, 'node_modules', '@types')),
    TYPES_CHECK,
  );
  log(`all package checks passed in ${elapsed()}`);
} finally {
  if (values.keep) log(`kept ${project}`);
  else await rm(project, { recursive: true, force: true });
}
