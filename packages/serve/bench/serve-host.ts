/**
 * The server side of `npm run bench:load`: `squash serve` (startSquashServer, its defaults) in a
 * process of its own, so the load generator never shares its event loop. Prints
 * `{"url":...}` once serving, then answers one JSON line per command read on stdin:
 * `workers` (live worker pids per function), `stop`.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { READS_COORDINATOR, startSquashServer } from '../src/squash-server.ts';

const [indexDir, bundleDir, maxInFlight] = process.argv.slice(2);
if (indexDir === undefined || bundleDir === undefined)
  throw new Error('usage: serve-host.ts <indexDir> <bundleDir>');
const server = await startSquashServer({
  indexes: [resolve(indexDir)],
  port: 0,
  bundleDir: resolve(bundleDir),
  ...(maxInFlight === undefined ? {} : { maxInFlight: Number(maxInFlight) }),
});
const functions = ['squash-coordinator', READS_COORDINATOR, 'squash-fanout', ...server.processorFunctions];
process.stdout.write(
  `${JSON.stringify({ url: server.url, processorFunctions: server.processorFunctions })}\n`,
);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'workers') {
    const workers = Object.fromEntries(
      functions.map((name) => [name, server.runtime.stats(name).workerPids]),
    );
    process.stdout.write(`${JSON.stringify({ workers, front: server.front.stats() })}\n`);
  } else if (line === 'stop') {
    break;
  }
}
await server.stop();
process.exit(0);
