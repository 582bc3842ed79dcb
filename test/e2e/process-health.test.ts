import { afterAll, describe, expect, it } from 'vitest';
import { type LinktrackProcess, startLinktrack } from '../support/processes.js';
import { waitFor } from '../support/wait.js';

const KEY = 'health-key-0123456789abcdef';

describe('a process whose main thread dies', () => {
  let proc: LinktrackProcess | null = null;
  afterAll(async () => {
    await proc?.kill();
  });

  it('runs out of memory: the redirect stops saying ready, and the process exits non-zero', async () => {
    // A small heap and result limits lifted, so one analyst query exhausts V8's heap: the
    // abort that follows never returns (the engine's signal handler holds it), which is
    // exactly the hang a supervisor cannot see without the watchdog.
    proc = await startLinktrack('oom', {
      services: 'redirect,enricher,sink,api',
      env: {
        NODE_OPTIONS: '--max-old-space-size=192',
        LINKTRACK_API_KEY: KEY,
        LINKTRACK_WATCHDOG_SECONDS: '5',
        LINKTRACK_SQL_MAX_RESULT_ROWS: '100000000',
        LINKTRACK_SQL_MAX_RESULT_BYTES: '10000000000',
      },
    });
    const { child, redirectUrl, apiUrl } = proc;
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    expect((await fetch(`${redirectUrl}/readyz`)).status).toBe(200);

    fetch(`${apiUrl}/v1/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'SELECT number, toString(number) AS s, repeat(toString(number), 3) AS r FROM numbers(6e6)',
      }),
    }).catch(() => {});

    const readiness = await waitFor(
      async () => {
        const res = await fetch(`${redirectUrl}/readyz`).catch(() => null);
        return res ? `${res.status} ${((await res.json()) as { status: string }).status}` : 'gone';
      },
      (state) => state !== '200 ready',
      30_000,
      100,
    );
    // Either caught while still answering, or already restarted-out of the way.
    expect(['503 main thread not responding', 'gone']).toContain(readiness);

    const { code, signal } = await exit;
    expect(code === 0).toBe(false);
    expect(signal ?? String(code)).toBe('SIGKILL');
    expect(proc.output()).toContain('"event":"main_thread_stalled"');
  }, 90_000);
});
