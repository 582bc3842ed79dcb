import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/linktrack.mjs');

export interface LinktrackProcess {
  name: string;
  child: ChildProcess;
  redirectUrl: string | null;
  apiUrl: string | null;
  opsUrl: string | null;
  /** Everything it printed, for failure messages. */
  output(): string;
  /** SIGTERM and wait: the graceful path. Resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>;
}

export interface StartOptions {
  services: string;
  env: Record<string, string>;
  dataDir?: string;
  timeoutMs?: number;
}

/** Runs `linktrack start --services …` as a child process and waits until it says where it listens. */
export async function startLinktrack(name: string, options: StartOptions): Promise<LinktrackProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `linktrack-${name}-`));
  const child = spawn(process.execPath, [BIN, 'start', '--services', options.services], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LINKTRACK_DATA_DIR: dataDir,
      LINKTRACK_REDIRECT_PORT: '0',
      LINKTRACK_API_PORT: '0',
      LINKTRACK_METRICS_PORT: '0',
      LINKTRACK_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  // "transport:" is the last line linktrack prints once every service is up.
  while (!/transport:/.test(output)) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = (label: RegExp) => label.exec(output)?.[1] ?? null;
  return {
    name,
    child,
    redirectUrl: url(/short links: (\S+)\/<slug>/),
    apiUrl: url(/api: +(\S+)/),
    opsUrl: url(/health\/metrics: (\S+)/),
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The analyst's SQL endpoint of a running api, which owns the ClickHouse data. */
export function sqlClient(apiUrl: string, apiKey: string) {
  return async <T = Record<string, unknown>>(
    query: string,
    params: Record<string, unknown> = {},
  ): Promise<T[]> => {
    const res = await fetch(`${apiUrl}/v1/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, params }),
    });
    if (!res.ok) throw new Error(`sql ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { data: T[] }).data;
  };
}
