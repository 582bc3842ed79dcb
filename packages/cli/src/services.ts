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
  if (config.kafka !== null) {
    throw new CliError(
      'LT_CLI_SERVICES',
      'LINKTRACK_KAFKA_BROKERS: the Kafka transport is not available in this version; unset it to run embedded',
    );
  }
}
