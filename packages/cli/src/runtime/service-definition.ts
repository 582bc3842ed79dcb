import type { Readiness } from '@linktrack/telemetry';
import type { MetricsJson } from '../ops-server.js';
import type { Base, ResourceName, ResourceTypes } from './resources.js';

/** What a service gets when it starts: configuration, telemetry and the resources it declared. */
export interface ServiceContext extends Base {
  use<N extends ResourceName>(name: N): ResourceTypes[N];
  /** The main thread's heartbeat from the watchdog; null when unwatched (tests). */
  heartbeat: SharedArrayBuffer | null;
}

export interface RunningService {
  /** Where it listens, for those that serve HTTP. */
  url?: string;
  readiness?: () => Readiness;
  /** Metrics kept outside the process's main registry (another thread's). */
  metrics?: () => Promise<MetricsJson[]>;
  /** Settles if the service dies on its own; the process then exits. */
  crashed?: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * One service of linktrack. `consumer` services start before `server` ones, so
 * nothing is served before what it feeds is running; stops run in reverse.
 */
export interface ServiceDefinition {
  name: string;
  phase: 'consumer' | 'server';
  /**
   * Starts ahead of the other services of its phase: what it publishes while
   * starting must be there when they load (the api restores links from the
   * ClickHouse mirror before a redirect loads its index).
   */
  first?: boolean;
  needs: readonly ResourceName[];
  start(ctx: ServiceContext): Promise<RunningService>;
}

/** Keeps the service's name as a literal type, so the registry knows every name. */
export function defineService<N extends string>(
  definition: ServiceDefinition & { name: N },
): ServiceDefinition & { name: N } {
  return definition;
}
