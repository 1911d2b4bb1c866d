import { startSquashServer } from '@squash/serve';
import { booleanFlag, integerFlag, stringFlag, stringListFlag, UsageError } from '../args.ts';
import type { CommandIo } from '../command-io.ts';
import { resolvePath } from '../command-io.ts';
import { type CommandSpec, EXIT_OK, runCommand } from '../run-command.ts';

const HELP = `Usage: squash serve --store <dir | s3://bucket/prefix> [--port 8080] [--host 127.0.0.1]
       squash serve --index <uri> [--index <uri>]... [options]

Serves indexes over HTTP (docs/http-api.md) by running the real Lambda handlers (coordinator,
fan-out tree nodes, processor functions, the compactor) as worker processes of a local
Lambda-compatible runtime.

With --store, every index under the store root is served and writable: indexes created through
the API (PUT /v1/indexes/{name}) appear at once, upserts and deletes are durable when answered and
seen by the next query, and compactions run in the background. With --index, built indexes are
served read-only under the names they were built with. Logs one line per request; stops cleanly
on Ctrl-C or SIGTERM (no worker process is left behind).

Options:
  --store <dir|s3://...>        a store root: its catalog's indexes, writable (created if missing)
  --index <uri>                 a built index to serve read-only: a directory or s3://bucket/prefix
                                (repeatable)
  --port <n>                    TCP port, 0 for any free one (default 8080)
  --host <addr>                 interface to listen on (default 127.0.0.1); any non-loopback
                                address needs an API key in SQUASH_API_KEY (16+ characters),
                                which every client then sends as x-api-key
  --endpoint-url <url>          S3 endpoint for s3:// indexes (LocalStack, a local server);
                                AWS_ENDPOINT_URL_S3 works too
  --partitions-per-processor <n>  partitions served by one processor function (default 1)
  --branching <n>               children per fan-out tree node (default 8)
  --metrics                     print each request's metrics (CloudWatch EMF JSON, as the
                                deployed coordinator publishes them) and the functions'
                                warnings and errors on stdout
  --cors-origin <origin>        let browser pages on this origin call the API (repeatable;
                                '*' for any); CORS is off by default
  -h, --help                    show this help
`;

const SPEC: CommandSpec = {
  name: 'serve',
  help: HELP,
  flags: {
    store: { type: 'string' },
    index: { type: 'string', multiple: true },
    port: { type: 'string' },
    host: { type: 'string' },
    'endpoint-url': { type: 'string' },
    'partitions-per-processor': { type: 'string' },
    branching: { type: 'string' },
    'cors-origin': { type: 'string', multiple: true },
    metrics: { type: 'boolean' },
  },
  positionals: [],
};

/** `squash serve`: the embedded default, until Ctrl-C or SIGTERM. */
export function serve(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const indexes = stringListFlag(flags, 'index').map((uri) =>
      uri.startsWith('s3://') ? uri : resolvePath(io, uri),
    );
    const storeFlag = stringFlag(flags, 'store');
    const store =
      storeFlag === undefined
        ? undefined
        : storeFlag.startsWith('s3://')
          ? storeFlag
          : resolvePath(io, storeFlag);
    if (indexes.length === 0 && store === undefined) {
      throw new UsageError('--store or --index is required: a directory or s3://bucket/prefix');
    }
    const corsOrigins = stringListFlag(flags, 'cors-origin');
    for (const origin of corsOrigins) {
      if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
        throw new UsageError(
          `--cors-origin is ${JSON.stringify(origin)}; allowed: '*' or an origin such as https://app.example.com (no path)`,
        );
      }
    }
    const endpoint = stringFlag(flags, 'endpoint-url');
    if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) {
      throw new UsageError(
        `--endpoint-url is ${JSON.stringify(endpoint)}; allowed: an http:// or https:// URL`,
      );
    }
    const server = await startSquashServer({
      indexes,
      ...(store === undefined ? {} : { store }),
      port: integerFlag(flags, 'port', { min: 0, max: 65535 }) ?? 8080,
      host: stringFlag(flags, 'host') ?? '127.0.0.1',
      partitionsPerProcessor: integerFlag(flags, 'partitions-per-processor', { min: 1, max: 100_000 }) ?? 1,
      branching: integerFlag(flags, 'branching', { min: 2, max: 1000 }) ?? 8,
      log: (line) => io.stderr.write(`${line}\n`),
      ...(corsOrigins.length === 0 ? {} : { corsOrigins }),
      ...(booleanFlag(flags, 'metrics') ? { metrics: true } : {}),
      ...(io.env?.SQUASH_API_KEY === undefined ? {} : { apiKey: io.env.SQUASH_API_KEY }),
      ...(io.env?.SQUASH_BUNDLE_DIR === undefined ? {} : { bundleDir: io.env.SQUASH_BUNDLE_DIR }),
      ...(endpoint === undefined ? {} : { env: { AWS_ENDPOINT_URL_S3: endpoint } }),
    });
    if (server.store !== undefined) {
      io.stdout.write(`serving the indexes of ${server.store} at ${server.url}/v1/indexes\n`);
    }
    for (const [name, uri] of Object.entries(server.indexes)) {
      io.stdout.write(`serving index "${name}" (${uri}) at ${server.url}/v1/indexes/${name}\n`);
    }
    await waitForStop(io);
    io.stderr.write('stopping: shutting down worker processes\n');
    await server.stop();
    return EXIT_OK;
  });
}

/** Resolves on SIGINT / SIGTERM (or when the command's interrupt signal fires, in tests). */
function waitForStop(io: CommandIo): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      resolve();
    };
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
    io.interrupts?.signal.addEventListener('abort', done, { once: true });
  });
}
