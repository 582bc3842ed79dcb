import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinktrackConfig } from '@linktrack/config';
import { CliError } from '../errors.js';

/** The running api, as the CLI reaches it: LINKTRACK_API_URL, or this machine's api port. */
export function apiClient(config: LinktrackConfig) {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base = config.api.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`;
  const keyFile = join(config.dataDir, 'api-key');
  const key = config.api.apiKey ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : null);
  if (!key) {
    throw new CliError(
      'LT_CLI_API_KEY',
      `no api key: set LINKTRACK_API_KEY, or run where ${keyFile} exists (linktrack start makes it)`,
    );
  }
  return {
    base,
    async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (err) {
        throw new CliError(
          'LT_CLI_API_UNREACHABLE',
          `the api at ${base} does not answer (${(err as Error).cause ?? (err as Error).message}); is linktrack running? Set LINKTRACK_API_URL to reach another one`,
        );
      }
      return { status: res.status, body: (await res.json()) as T };
    },
  };
}
