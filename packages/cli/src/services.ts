import type { LinktrackConfig } from '@linktrack/config';
import { CliError } from './errors.js';

export const SERVICES = ['redirect', 'enricher', 'sink', 'api'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function parseServices(value: string | undefined): Set<ServiceName> {
  if (value === undefined || value.trim() === '') return new Set(SERVICES);
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(SERVICES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new CliError(
      'LT_CLI_USAGE',
      `--services: unknown service "${unknown.join('", "')}"; use ${SERVICES.join(',')}`,
    );
  }
  return new Set(names as ServiceName[]);
}

/** Which subsets can run in one process, given where events travel and where data lives. */
export function checkPlacement(services: Set<ServiceName>, config: LinktrackConfig): void {
  if (config.kafka === null && services.size !== SERVICES.length) {
    throw new CliError(
      'LT_CLI_SERVICES',
      '--services: without LINKTRACK_KAFKA_BROKERS the services talk in-process, so all four must run together',
    );
  }
  // The embedded engine binds its data dir to one process, which must serve both writes and reads.
  if (config.clickhouse.url === null && services.has('sink') !== services.has('api')) {
    throw new CliError(
      'LT_CLI_SERVICES',
      '--services: with the embedded engine (no LINKTRACK_CLICKHOUSE_URL) the sink and the api must run in the same process',
    );
  }
}
