import { type Bus, InProcessBus } from '@linktrack/bus';
import { ensurePrivateDir, type LinktrackConfig } from '@linktrack/config';
import type { Store } from '@linktrack/store';
import { createCodecs } from '@linktrack/streams';
import { createMetrics, type Logger, type Metrics, registerThreadMetrics } from '@linktrack/telemetry';
import type { ResolvedApiKey } from '../api-key.js';
import { startOpsServer } from '../ops-server.js';
import { SERVICE_DEFINITIONS, type ServiceName } from './registry.js';
import {
  type Base,
  type Opened,
  RESOURCES,
  type ResourceName,
  type ResourceTypes,
  resourceOrder,
} from './resources.js';
import type { RunningService, ServiceContext } from './service-definition.js';

export interface RunningStack {
  redirectUrl: string | null;
  apiUrl: string | null;
  /** The internal listener: /metrics, /healthz, /readyz. */
  opsUrl: string;
  apiKey: ResolvedApiKey | null;
  store: Store | null;
  bus: Bus;
  metrics: Metrics;
  /** Settles if a service dies on its own (the redirect thread): the process should exit. */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** The main thread's heartbeat from the watchdog, for the redirect's readiness; null when unwatched. */
  heartbeat?: SharedArrayBuffer | null;
}

type Stop = () => Promise<void>;

/**
 * Starts the chosen services in this process. Resources come first, each
 * after what it needs (the api key before anything, so a bad key file stops
 * the start at once); then consumer services, then the HTTP servers, so that
 * nothing is served before what it feeds is running. Stop runs the other way:
 * HTTP first, then the redirect's buffer is flushed, consumers finish their
 * batch and commit, resources close.
 */
export async function startStack(
  config: LinktrackConfig,
  services: Set<ServiceName>,
  logger: Logger,
  options: StackOptions = {},
): Promise<RunningStack> {
  const base: Base = { config, logger, metrics: createMetrics(), codecs: createCodecs() };
  registerThreadMetrics(base.metrics, 'main');
  const stops: Stop[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err) => logger.error({ event: 'stop_failed', err }));
  };
  try {
    ensurePrivateDir(config.dataDir);
    const chosen = SERVICE_DEFINITIONS.filter((s) => services.has(s.name));
    // Every process talks on the bus, if only to announce its schemas.
    const opened = new Map<ResourceName, unknown>();
    const use = <N extends ResourceName>(name: N): ResourceTypes[N] => {
      if (!opened.has(name)) throw new Error(`resource "${name}" was not declared by the service using it`);
      return opened.get(name) as ResourceTypes[N];
    };
    for (const name of resourceOrder(['bus', ...chosen.flatMap((s) => s.needs)])) {
      const resource = (await RESOURCES[name].open(base, use)) as Opened<unknown>;
      opened.set(name, resource.value);
      if (resource.close) stops.push(resource.close);
    }
    const bus = use('bus');

    const ctx: ServiceContext = { ...base, use, heartbeat: options.heartbeat ?? null };
    const running = new Map<ServiceName, RunningService>();
    for (const phase of ['consumer', 'server'] as const) {
      const inPhase = chosen.filter((s) => s.phase === phase);
      for (const service of [...inPhase.filter((s) => s.first), ...inPhase.filter((s) => !s.first)]) {
        const started = await service.start(ctx);
        running.set(service.name, started);
        stops.push(() => started.stop());
      }
      // In-process: before consumers stop, let them handle what the servers already published.
      if (phase === 'consumer' && bus instanceof InProcessBus) {
        stops.push(() => bus.idle(15_000).catch((err) => logger.error({ event: 'drain_timeout', err })));
      }
    }

    const all = [...running.values()];
    const ops = await startOpsServer({
      host: config.metrics.host,
      port: config.metrics.port,
      metrics: base.metrics,
      extraMetrics: async () => (await Promise.all(all.map((s) => s.metrics?.() ?? []))).flat(),
      readiness: () => {
        for (const s of all) {
          const state = s.readiness?.();
          if (state && !state.ready) return state;
        }
        return { ready: true };
      },
    });
    stops.push(() => ops.close());

    const crashes = all.flatMap((s) => (s.crashed ? [s.crashed] : []));
    return {
      redirectUrl: running.get('redirect')?.url ?? null,
      apiUrl: running.get('api')?.url ?? null,
      opsUrl: ops.url,
      apiKey: (opened.get('apiKey') as ResolvedApiKey | undefined) ?? null,
      store: (opened.get('store') as Store | undefined) ?? null,
      bus,
      metrics: base.metrics,
      failed: crashes.length > 0 ? Promise.race(crashes) : new Promise<Error>(() => {}),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
