import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { parseServices } from './services.js';

const BIN = fileURLToPath(new URL('../../../bin/linktrack.mjs', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      print: (l: string) => out.push(l),
      printError: (l: string) => err.push(l),
      shutdown: new Promise<string>(() => {}),
    },
  };
}

describe('linktrack CLI', () => {
  it('prints one line per bad variable and exits 1', async () => {
    const { err, io } = capture();
    const code = await main(
      ['start'],
      { LINKTRACK_REDIRECT_PORT: 'abc', LINKTRACK_TRUST_PROXY: 'maybe?' },
      io,
    );
    expect(code).toBe(1);
    expect(err).toEqual([
      'linktrack: LINKTRACK_REDIRECT_PORT: must be an integer from 0 to 65535, got "abc"',
      'linktrack: LINKTRACK_TRUST_PROXY: must be true, false, a hop count, or IPs/CIDRs; "maybe?" is not an address',
    ]);
  });

  it('rejects unknown commands and services with a usage line', async () => {
    const a = capture();
    expect(await main(['serve'], {}, a.io)).toBe(1);
    expect(a.err).toEqual(['linktrack: unknown command "serve"; run "linktrack help" [LT_CLI_USAGE]']);
    expect(() => parseServices('redirect,web')).toThrow('--services: unknown service "web"');
  });

  it('refuses a subset of services on the in-process bus, which cannot cross processes', async () => {
    const { err, io } = capture();
    expect(
      await main(['start', '--services', 'redirect'], { LINKTRACK_DATA_DIR: '/tmp/lt-cli-none' }, io),
    ).toBe(1);
    expect(err[0]).toMatch(/^linktrack: --services: without LINKTRACK_KAFKA_BROKERS .* \[LT_CLI_SERVICES\]$/);
  });

  it('exits 1 with a clear line from the real binary when ClickHouse is unreachable', () => {
    const result = spawnSync(process.execPath, [BIN, 'migrate'], {
      env: { ...process.env, LINKTRACK_CLICKHOUSE_URL: 'http://127.0.0.1:1', LINKTRACK_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /linktrack: ClickHouse at http:\/\/127\.0\.0\.1:1 is unreachable: .*\[LT_STORE_UNREACHABLE\]/,
    );
  });
});
