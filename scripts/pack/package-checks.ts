import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runChild } from './run-child.ts';

/** Where the packages were installed and how to report. */
export interface CheckContext {
  /** The temporary project the tarballs were installed into. */
  readonly project: string;
  readonly log: (line: string) => void;
}

/** Fails the check with `message` when `ok` is false. */
export function expectThat(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(`package check failed: ${message}`);
}

/** Milliseconds `command args` takes, median of `runs` (each must exit 0). */
async function medianMs(
  ctx: CheckContext,
  command: string,
  args: readonly string[],
  runs: number,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await runChild(command, args, { cwd: ctx.project, timeoutMs: 30_000 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/**
 * (a) The installed command starts fast and knows its version: `squash --help` median of 5 under
 * `maxHelpMs`, `squash --version` prints the packed version. `npx squash --help` is printed for
 * reference only: it adds npm's own start-up (about 0.5 s), which no package can remove.
 */
export async function checkCliStartup(ctx: CheckContext, version: string, maxHelpMs: number): Promise<void> {
  const bin = join(ctx.project, 'node_modules', '.bin', 'squash');
  const help = await runChild(bin, ['--help'], { cwd: ctx.project, timeoutMs: 30_000 });
  expectThat(
    help.startsWith('Usage: squash <command>'),
    `squash --help printed ${JSON.stringify(help.slice(0, 80))}`,
  );
  // A second round of 5 when the first is over the limit: on a shared machine, other processes
  // (not the package) are the usual cause. Node's own start-up is printed to judge by.
  let helpMs = await medianMs(ctx, bin, ['--help'], 5);
  if (helpMs >= maxHelpMs) helpMs = Math.min(helpMs, await medianMs(ctx, bin, ['--help'], 5));
  const nodeMs = await medianMs(ctx, process.execPath, ['-e', '0'], 5);
  const npxMs = await medianMs(ctx, 'npx', ['--no-install', 'squash', '--help'], 3);
  ctx.log(
    `squash --help: median ${helpMs.toFixed(0)} ms of 5 (limit ${maxHelpMs} ms; node -e 0: ${nodeMs.toFixed(0)} ms); npx squash --help: ${npxMs.toFixed(0)} ms`,
  );
  expectThat(
    helpMs < maxHelpMs,
    `squash --help took ${helpMs.toFixed(0)} ms (median of 5, twice); the limit is ${maxHelpMs} ms (node -e 0 took ${nodeMs.toFixed(0)} ms)`,
  );
  const shown = (await runChild(bin, ['--version'], { cwd: ctx.project, timeoutMs: 30_000 })).trim();
  expectThat(
    shown === `squash ${version}`,
    `squash --version printed ${JSON.stringify(shown)}; expected "squash ${version}"`,
  );
}

/**
 * (b) The installed CLI builds an index from a JSONL file, serves it on a free 127.0.0.1 port, and
 * the installed client's query finds the queried row itself first (distance 0) and only rows of
 * its group. The server is stopped with SIGTERM and must exit 0 (it stops its worker processes).
 */
export async function checkServeAndClient(ctx: CheckContext, queryRow: number): Promise<void> {
  const bin = join(ctx.project, 'node_modules', '.bin', 'squash');
  await runChild(bin, ['build', '--input', 'vectors.jsonl', '--out', 'demo-index', '--name', 'demo'], {
    cwd: ctx.project,
    timeoutMs: 60_000,
  });
  const server = spawn(bin, ['serve', '--index', 'demo-index', '--port', '0'], {
    cwd: ctx.project,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await serverUrl(server, 60_000);
    ctx.log(`squash serve listening at ${url}`);
    const out = await runChild(process.execPath, ['query.mjs', url, String(queryRow)], {
      cwd: ctx.project,
      timeoutMs: 60_000,
    });
    const answer = JSON.parse(out) as { matches: { id: string; distance: number }[]; complete: boolean };
    const group = queryRow % 4;
    expectThat(answer.complete, `the answer is incomplete: ${out}`);
    expectThat(answer.matches.length === 3, `expected 3 matches, got ${out}`);
    expectThat(
      answer.matches[0]?.id === `doc-${queryRow}` && answer.matches[0].distance === 0,
      `the first match is not the queried row doc-${queryRow} at distance 0: ${out}`,
    );
    expectThat(
      answer.matches.every((match) => Number(match.id.slice('doc-'.length)) % 4 === group),
      `a match is outside group ${group}: ${out}`,
    );
    ctx.log(`query through @squash/client: ${answer.matches.map((m) => m.id).join(', ')} (complete)`);
  } finally {
    await stopChild(server, 15_000);
  }
  expectThat(
    server.exitCode === 0,
    `squash serve exited with ${server.exitCode ?? server.signalCode} after SIGTERM`,
  );
}

/** Resolves with the base URL `squash serve` prints, or rejects when it exits or times out. */
function serverUrl(server: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`squash serve printed no URL within ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    server.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    server.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\/v1\/indexes\//.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`squash serve exited with ${code ?? signal} before listening:\n${stderr}`));
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * (c) A CDK app of the user's adds the construct to its own stack and synthesises offline. Every
 * Lambda function of the template must run a code asset whose `index.mjs` is byte-identical to
 * one of the package's prebuilt bundles, and nothing in the cloud assembly may name the
 * repository the package was packed from.
 */
export async function checkCdkSynth(ctx: CheckContext, repoRoot: string): Promise<void> {
  await runChild(process.execPath, ['synth.mjs'], {
    cwd: ctx.project,
    timeoutMs: 120_000,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  const out = join(ctx.project, 'cdk.out');
  const templateText = readFileSync(join(out, 'ExistingApp.template.json'), 'utf8');
  const assetsText = readFileSync(join(out, 'ExistingApp.assets.json'), 'utf8');
  const template = JSON.parse(templateText) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const assets = JSON.parse(assetsText) as { files: Record<string, { source: { path: string } }> };
  const handlersDir = join(ctx.project, 'node_modules', '@squash', 'cdk', 'dist', 'handlers');
  const prebuilt = new Map<string, string>();
  for (const kind of readdirSync(handlersDir, { withFileTypes: true }).filter((entry) =>
    entry.isDirectory(),
  )) {
    prebuilt.set(sha256(join(handlersDir, kind.name, 'index.mjs')), kind.name);
  }
  const used = new Set<string>();
  const functions = Object.entries(template.Resources).filter(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function',
  );
  for (const [id, resource] of functions) {
    const code = resource.Properties.Code as { S3Key?: unknown; ZipFile?: unknown };
    if (code.ZipFile !== undefined) continue; // inline code (the API-key authorizer), not a handler
    const hash = typeof code.S3Key === 'string' ? code.S3Key.replace(/\.zip$/, '') : '';
    const asset = assets.files[hash];
    expectThat(
      asset !== undefined,
      `function ${id} has code ${JSON.stringify(code)}, which is no file asset`,
    );
    const kind = prebuilt.get(sha256(join(out, asset.source.path, 'index.mjs')));
    expectThat(kind !== undefined, `function ${id}'s index.mjs is none of the package's prebuilt bundles`);
    used.add(kind);
  }
  // A bundle no function of this app uses is reported, not failed: a function the construct
  // creates only for some props (an optional one) is still shipped for the apps that enable it.
  expectThat(used.size > 0, 'the template has no function running a prebuilt bundle');
  const unused = [...prebuilt.values()].filter((kind) => !used.has(kind));
  for (const [name, text] of [
    ['template', templateText],
    ['asset manifest', assetsText],
  ] as const) {
    expectThat(!text.includes(repoRoot), `the ${name} names the repository (${repoRoot})`);
  }
  ctx.log(
    `cdk synth: ${functions.length} functions, each running a prebuilt bundle (${[...used].sort().join(', ')})` +
      (unused.length === 0 ? '' : `; not deployed by this app: ${unused.join(', ')}`),
  );
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * (d) The declarations need no internal package: a strict TypeScript file using both libraries
 * type-checks in the project (and its `@ts-expect-error` lines prove the types are not `any`).
 */
export async function checkTypes(
  ctx: CheckContext,
  repoRoot: string,
  tsconfig: string,
  source: string,
): Promise<void> {
  await writeFile(join(ctx.project, 'tsconfig.json'), tsconfig);
  await writeFile(join(ctx.project, 'check.ts'), source);
  await runChild(
    process.execPath,
    [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    {
      cwd: ctx.project,
      timeoutMs: 120_000,
    },
  );
  ctx.log('types: a strict NodeNext consumer of @squash/client and @squash/cdk type-checks');
}
