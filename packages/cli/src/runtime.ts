import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildApiApp, createLinkService } from '@linktrack/api';
import { type Bus, InProcessBus, KafkaBus } from '@linktrack/bus';
import type { LinktrackConfig } from '@linktrack/config';
import {
  createEnrichContext,
  createUserAgentParser,
  openGeoLookup,
  startEnricher,
} from '@linktrack/enricher';
import { followLinks, LinkIndex } from '@linktrack/links';
import { startRedirectWorker } from '@linktrack/redirect';
import { startSink } from '@linktrack/sink';
import { openStore, type Store } from '@linktrack/store';
import {
  allCodecs,
  announceWriterSchemas,
  COMPACTED_TOPICS,
  createCodecs,
  followWriterSchemas,
  GROUPS,
  instanceGroup,
  TOPIC_SPECS,
} from '@linktrack/streams';
import { createMetrics, type Logger, type Metrics } from '@linktrack/telemetry';
import { type ResolvedApiKey, resolveApiKey } from './api-key.js';
import { startOpsServer } from './ops-server.js';
import type { ServiceName } from './services.js';

export interface RunningStack {
  redirectUrl: string | null;
  apiUrl: string | null;
  opsUrl: string | null;
  apiKey: ResolvedApiKey | null;
  store: Store | null;
  bus: Bus;
  metrics: Metrics;
  stop(): Promise<void>;
}

type Stop = () => Promise<void>;

/** Kafka when brokers are configured, otherwise the in-process bus (links persisted in the data dir). */
export function createBus(config: LinktrackConfig, logger: Logger, metrics: Metrics): Bus {
  if (config.kafka) return new KafkaBus({ config: config.kafka, logger, metrics, topics: TOPIC_SPECS });
  return new InProcessBus({
    logger,
    metrics,
    dataDir: config.dataDir,
    persistentTopics: [...COMPACTED_TOPICS],
  });
}

/**
 * Starts the chosen services in this process. Start order: storage, bus, the
 * link registry, consumers, then the HTTP servers, so that nothing is served
 * before what it needs is ready. Stop runs the other way: HTTP first, then the
 * redirect's buffer is flushed, consumers finish their batch and commit.
 */
export async function startStack(
  config: LinktrackConfig,
  services: Set<ServiceName>,
  logger: Logger,
): Promise<RunningStack> {
  const metrics = createMetrics();
  const codecs = createCodecs();
  const stops: Stop[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err) => logger.error({ event: 'stop_failed', err }));
  };
  try {
    const needsStore = services.has('sink') || services.has('api');
    const store = needsStore
      ? await openStore({ url: config.clickhouse.url, dataDir: config.dataDir, logger })
      : null;
    if (store) stops.push(() => store.close());

    const bus = createBus(config, logger, metrics);
    if (bus instanceof KafkaBus) await bus.connect();
    stops.push(() => bus.close());
    // Before anything is written or read: our writer schemas out, everyone else's in.
    await announceWriterSchemas(bus, allCodecs(codecs));
    const schemas = await followWriterSchemas(
      bus,
      allCodecs(codecs),
      instanceGroup(GROUPS.schemas),
      (err, schema) =>
        logger.error(
          { event: 'writer_schema_rejected', err, schema },
          'an announced writer schema cannot be read',
        ),
    );
    stops.push(() => schemas.close());

    if (services.has('sink') && store) {
      const sink = await startSink({ bus, client: store.client, codecs, schemas, logger, metrics });
      stops.push(() => sink.stop());
    }
    if (services.has('enricher')) {
      const context = createEnrichContext(await openGeoLookup(config.geoip.paths), createUserAgentParser());
      const enricher = await startEnricher({ bus, codecs, schemas, context, logger, metrics });
      stops.push(() => enricher.stop());
    }
    // In-process: before consumers stop, let them handle what was already published.
    if (bus instanceof InProcessBus) {
      stops.push(() => bus.idle(15_000).catch((err) => logger.error({ event: 'drain_timeout', err })));
    }

    let apiUrl: string | null = null;
    let apiKey: ResolvedApiKey | null = null;
    if (services.has('api') && store) {
      const index = new LinkIndex();
      const follower = await followLinks(index, {
        bus,
        codec: codecs.linkEvent,
        logger,
        group: instanceGroup(GROUPS.apiLinks),
      });
      stops.push(() => follower.close());
      apiKey = resolveApiKey(config.api.apiKey, config.dataDir);
      const links = createLinkService({ bus, codec: codecs.linkEvent, index, baseUrl: config.api.baseUrl });
      const api = await buildApiApp({
        apiKey: apiKey.key,
        reader: store.reader,
        links,
        logger,
        metrics,
        isReady: () => index.ready,
      });
      await api.listen({ host: config.host, port: config.api.port });
      apiUrl = urlOf(api.server.address() as AddressInfo);
      stops.push(() => api.close());
    }

    let redirectUrl: string | null = null;
    if (services.has('redirect')) {
      // The redirect gets a thread of its own: enrichment, inserts and the Kafka client never slow it.
      const spoolPath = bus.kind === 'kafka' ? join(config.dataDir, 'spool', 'clicks-raw.spool') : null;
      const redirect = await startRedirectWorker(
        bus,
        { host: config.host, ...config.redirect, spoolPath },
        config.logLevel,
      );
      redirectUrl = redirect.url;
      stops.push(() => redirect.stop());
    }

    let opsUrl: string | null = null;
    if (!services.has('redirect') && !services.has('api')) {
      const ops = await startOpsServer(config.host, config.metricsPort, metrics, () => true);
      opsUrl = ops.url;
      stops.push(() => ops.close());
    }

    return { redirectUrl, apiUrl, opsUrl, apiKey, store, bus, metrics, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
