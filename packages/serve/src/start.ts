/**
 * `npm start`: builds the sample index into the store root `.squash-data/indexes` on first run, then
 * serves that root on 127.0.0.1:8080 (or $PORT) through the local Lambda runtime (every index
 * under it, writable) and prints ready-to-paste requests.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { registerIndex } from '@squash/index-format';
import { FilesystemBlobStore } from '@squash/storage';
import { REPO_ROOT } from './bundle-handlers.ts';
import { buildSampleIndex, SAMPLE_DEFINITION, SAMPLE_INDEX_DIR } from './sample-index.ts';
import { startSquashServer } from './squash-server.ts';

const log = (line: string): void => console.log(line);
const root = dirname(SAMPLE_INDEX_DIR);
const sample = await buildSampleIndex(SAMPLE_INDEX_DIR, log);
await registerIndex(new FilesystemBlobStore({ rootDir: root }), SAMPLE_DEFINITION);
const server = await startSquashServer({
  store: root,
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
console.log(
  `Write: curl -s -X POST ${server.url}/v1/indexes/mnist/vectors/upsert -d '{"vectors": [{"id": "mine", "vector": [...784 numbers], "attributes": {"label": 3}}]}'`,
);
console.log(`Data: ${root} (every index under it is served; create more with PUT /v1/indexes/<name>)`);
console.log('Stop with Ctrl-C.');
const shutdown = async (): Promise<void> => {
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
