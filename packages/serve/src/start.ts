/**
 * `npm start`: builds the sample index on first run, then serves it on 127.0.0.1:8080 (or
 * $PORT) through the local Lambda runtime and prints a ready-to-paste query.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './bundle-handlers.ts';
import { buildSampleIndex } from './sample-index.ts';
import { startSquashServer } from './squash-server.ts';

const log = (line: string): void => console.log(line);
const sample = await buildSampleIndex(undefined, log);
const server = await startSquashServer({
  indexes: [sample.dir],
  port: Number(process.env.PORT ?? 8080),
  log,
});
const queryFile = join(REPO_ROOT, '.squash-data', 'sample-query.json');
await writeFile(queryFile, JSON.stringify(sample.sampleQuery));
console.log(`\nsquash is serving index "mnist" at ${server.url}\n`);
console.log('Try a filtered query (the 5 digits nearest to the first digit whose label is 3, 5 or 8):\n');
console.log(
  `  curl -s -X POST ${server.url}/v1/indexes/mnist/query -H 'content-type: application/json' -d @.squash-data/sample-query.json\n`,
);
console.log(
  `Index description: curl -s ${server.url}/v1/indexes/mnist    API: curl -s ${server.url}/openapi.json`,
);
console.log('Stop with Ctrl-C.');
const shutdown = async (): Promise<void> => {
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
