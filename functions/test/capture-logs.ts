import { vi } from 'vitest';

/** One structured log line (a JSON object). */
export type LogLine = Record<string, unknown>;

/**
 * Runs `run` while collecting what it writes to stdout and stderr (Powertools Logger writes
 * through a `Console` on both, error levels to stderr) and returns the lines that are JSON objects.
 */
export async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: LogLine[] }> {
  const chunks: string[] = [];
  const collect = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(collect);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(collect);
  try {
    const result = await run();
    return { result, lines: jsonLines(chunks.join('')) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function jsonLines(text: string): LogLine[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** A Lambda context as the runtime passes it (the fields the handlers and Powertools read). */
export function lambdaContext(functionName: string, awsRequestId: string) {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    getRemainingTimeInMillis: () => 20_000,
  };
}
