import { describe, expect, it } from 'vitest';
import { findMotoServer, freePort, startMotoServer } from '../src/moto-server.ts';

const moto = findMotoServer();
if (moto === undefined) console.log('moto_server not on PATH: skipping the moto_server process tests');

describe.skipIf(moto === undefined)('startMotoServer', () => {
  it('starts moto on a free port, answers at localhost, and is gone after stop', async () => {
    const server = await startMotoServer({ executable: moto });
    try {
      expect(server.url).toBe(`http://localhost:${server.port}`);
      const response = await fetch(`http://127.0.0.1:${server.port}/moto-api/`);
      expect(response.ok).toBe(true);
    } finally {
      await server.stop();
    }
    expect(() => process.kill(server.pid, 0)).toThrow();
    await expect(fetch(`http://127.0.0.1:${server.port}/moto-api/`)).rejects.toThrow();
  });

  it('fails when its port is taken instead of trusting the other server that answers there', async () => {
    const first = await startMotoServer({ executable: moto });
    try {
      await expect(
        startMotoServer({ executable: moto, port: first.port, readyTimeoutMs: 10_000 }),
      ).rejects.toThrow(/moto_server exited with code \d+ before answering|did not answer/);
    } finally {
      await first.stop();
    }
    expect(() => process.kill(first.pid, 0)).toThrow();
  });
});

describe('findMotoServer', () => {
  it('finds nothing on a PATH without moto_server', async () => {
    expect(findMotoServer('/nonexistent-dir')).toBeUndefined();
    expect(await freePort()).toBeGreaterThan(0);
  });
});
