#!/usr/bin/env node
// The `squash` command. The CLI is TypeScript run through tsx's loader, so there is no build
// step: `npx squash ...` from the repository root runs src/main.ts directly.
import { register } from 'tsx/esm/api';

register();
const { runProcess } = await import('../src/main.ts');
process.exitCode = await runProcess(process.argv.slice(2));
