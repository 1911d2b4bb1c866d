import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the repository root (the directory holding `cdk.json` and `package-lock.json`).
 * Handler entries in `HANDLER_ENTRIES` are relative to it. Computed from this file's location, so
 * it does not depend on the working directory `cdk` or `vitest` was started from. In a packed
 * construct package it points into `node_modules` and is never read: the handlers come prebuilt
 * (`prebuiltHandlerDir`).
 */
export const REPO_ROOT: string = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
