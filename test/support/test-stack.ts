import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';

/**
 * The whole embedded stack on free ports in a data dir of its own, for end-to-end
 * suites: `env` adds to (or overrides) the defaults, as LINKTRACK_* variables.
 */
export async function startTestStack(name: string, apiKey: string, env: Record<string, string> = {}) {
  const config = loadConfig({
    LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), `lt-${name}-`)),
    LINKTRACK_REDIRECT_PORT: '0',
    LINKTRACK_API_PORT: '0',
    LINKTRACK_METRICS_PORT: '0',
    LINKTRACK_API_KEY: apiKey,
    LINKTRACK_LOG_LEVEL: 'warn',
    ...env,
  });
  return startStack(config, new Set(SERVICES), createLogger('warn'));
}

/** POST /v1/sql with the api key: the rows. final: false counts every stored copy (the default reads FINAL). */
export async function analystSql<T>(
  stack: RunningStack,
  apiKey: string,
  query: string,
  final = true,
): Promise<T[]> {
  const res = await fetch(`${stack.apiUrl}/v1/sql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, final }),
  });
  if (res.status !== 200) throw new Error(`sql ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: T[] }).data;
}
