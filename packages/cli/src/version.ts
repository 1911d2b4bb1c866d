import { createRequire } from 'node:module';

/** The CLI's version, from its package.json (one source: what npm would publish). */
export const CLI_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;
