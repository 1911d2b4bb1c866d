import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCALSTACK_SKIP_LINE, probeLocalStack } from '@squash/testkit';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/project-paths.ts';

/** Runs a runner script with `PATH` set to `path`, as a user without the emulator would. */
function runScript(script: string, args: readonly string[], path: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: path },
  });
}

describe('emulator runners without their emulator', () => {
  const emptyPath = mkdtempSync(join(tmpdir(), 'squash-no-moto-'));

  it('makes npm run test:emulated print exactly one line and exit 0 where moto_server is absent', () => {
    const child = runScript('scripts/test-emulated.ts', [], emptyPath);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toBe(
      'moto_server not found on PATH: skipping the emulated deployment suite (cdklocal deploy into moto, HTTP suite through the deployed functions); pip install "moto[server]==5.2.1" to run it\n',
    );
  });

  it('makes npm run test:emulated -- --require fail where moto_server is absent (CI)', () => {
    const child = runScript('scripts/test-emulated.ts', ['--require'], emptyPath);
    expect(child.status).toBe(1);
    expect(child.stderr).toMatch(
      /moto_server is not on PATH, and --require says this run must deploy into it/,
    );
  });

  it('makes npm run test:localstack print exactly one line and exit 0 when LocalStack is not running', async () => {
    if ((await probeLocalStack()) !== undefined) {
      console.warn('LocalStack is running at 127.0.0.1:4566: not testing the skip path');
      return;
    }
    const child = runScript('scripts/test-localstack.ts', [], process.env.PATH ?? '');
    expect(child.status).toBe(0);
    expect(child.stdout).toBe(`${LOCALSTACK_SKIP_LINE}\n`);
    expect(LOCALSTACK_SKIP_LINE).toBe(
      'LocalStack not reachable at http://127.0.0.1:4566: skipping the LocalStack suite (start it with docker compose up -d)',
    );
  });
});
