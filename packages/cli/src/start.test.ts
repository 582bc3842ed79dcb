import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

/** Runs `linktrack start` in this process until it has printed its addresses, then stops it. */
async function startAndStop(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  let stop: (signal: string) => void = () => {};
  const shutdown = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const running = main(['start'], env, {
    print: (line) => {
      out.push(line);
      if (line.includes('transport:')) stop('SIGTERM');
    },
    printError: (line) => err.push(line),
    shutdown,
  });
  return { code: await running, out, err };
}

const envFor = (dataDir: string) => ({
  LINKTRACK_DATA_DIR: dataDir,
  LINKTRACK_REDIRECT_PORT: '0',
  LINKTRACK_API_PORT: '0',
  LINKTRACK_METRICS_PORT: '0',
  LINKTRACK_LOG_LEVEL: 'silent',
});

describe('linktrack start and the api key', () => {
  it('prints a generated key once; later starts say only where it is kept', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'lt-start-')), 'data');
    const first = await startAndStop(envFor(dataDir));
    expect(first.code).toBe(0);
    const keyLine = first.out.find((l) => l.includes('api key:'));
    expect(keyLine).toMatch(/api key: {5}lt_[\w-]{32} {3}\(generated now, kept in .*api-key\)/);
    const key = /lt_[\w-]{32}/.exec(keyLine ?? '')?.[0] as string;
    expect(first.out.find((l) => l.includes('health/metrics:'))).toMatch(/http:\/\/127\.0\.0\.1:\d+/);

    const second = await startAndStop(envFor(dataDir));
    expect(second.code).toBe(0);
    expect(second.out.join('\n')).not.toContain(key);
    expect(second.out).toContain(`  api key:     kept in ${join(dataDir, 'api-key')}`);
  });

  it('refuses to start on an empty key file, naming the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lt-start-'));
    writeFileSync(join(dataDir, 'api-key'), '');
    const { code, err } = await startAndStop(envFor(dataDir));
    expect(code).toBe(1);
    expect(err).toEqual([
      `linktrack: ${join(dataDir, 'api-key')}: the api key there is empty; it must be at least 16. Delete the file to have a new key generated, or set LINKTRACK_API_KEY [LT_CLI_API_KEY]`,
    ]);
  });
});
