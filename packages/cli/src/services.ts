import type { LinktrackConfig } from '@linktrack/config';
import { CliError } from './errors.js';
import { SERVICE_DEFINITIONS, type ServiceName } from './runtime/registry.js';

export type { ServiceName };
export const SERVICES: readonly ServiceName[] = SERVICE_DEFINITIONS.map((s) => s.name);

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
  // The embedded engine binds its data dir to one process: every service that uses the store runs there.
  const storeUsers = SERVICE_DEFINITIONS.filter((s) => s.needs.includes('store')).map((s) => s.name);
  const here = storeUsers.filter((name) => services.has(name));
  if (config.clickhouse.url === null && here.length > 0 && here.length < storeUsers.length) {
    throw new CliError(
      'LT_CLI_SERVICES',
      `--services: with the embedded engine (no LINKTRACK_CLICKHOUSE_URL) the ${storeUsers.join(' and the ')} must run in the same process`,
    );
  }
}
